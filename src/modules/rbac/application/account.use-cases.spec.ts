import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import {
  FakeHasher,
  InMemoryAttemptCounter,
  InMemoryApiTokens,
  InMemorySessions,
  InMemoryUsers,
  RecordingAuditLog,
} from '../../../../test/support/fakes/in-memory-identity';
import { isDomainError } from '../../../shared/core/domain-error';
import { accessContext } from '../core/access-context';
import { sha256Hex } from '../core/secrets';
import { ChangePassword } from './change-password.use-case';
import { CreateMyApiToken } from './create-my-api-token.use-case';
import { ListMyApiTokens } from './list-my-api-tokens.query';
import { RevokeMyApiToken } from './revoke-my-api-token.use-case';

const ALICE = accessContext({ userId: 'u-1', email: 'alice@example.test', displayName: 'Alice' }, []);
const BOB = accessContext({ userId: 'u-2', email: 'bob@example.test', displayName: 'Bob' }, []);
const SESSION = (n: number) => String(n).repeat(43).slice(0, 43);

async function codeOf(work: Promise<unknown>): Promise<string | null> {
  try {
    await work;
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
}

function setup() {
  const clock = new FakeClock(new Date('2026-12-06T10:00:00.000Z'));
  const users = new InMemoryUsers();
  users.rows.push({ id: 'u-1', email: 'alice@example.test', displayName: 'Alice', passwordHash: 'hashed:old-password', signedInAt: null });
  users.rows.push({ id: 'u-2', email: 'bob@example.test', displayName: 'Bob', passwordHash: 'hashed:bob-password', signedInAt: null });
  const sessions = new InMemorySessions(users);
  const session = (n: number, userId = 'u-1') =>
    sessions.create({ idHash: sha256Hex(SESSION(n)), userId, csrfToken: 'c', now: clock.now(), expiresAt: new Date(clock.now().getTime() + 3600_000) });
  const hasher = new FakeHasher();
  const tokens = new InMemoryApiTokens();
  const audit = new RecordingAuditLog();
  return {
    clock, users, sessions, session, tokens, audit,
    changePassword: new ChangePassword(users, hasher, new InMemoryAttemptCounter(clock), audit),
    create: new CreateMyApiToken(tokens, clock, audit),
    list: new ListMyApiTokens(tokens, clock),
    revoke: new RevokeMyApiToken(tokens, audit),
  };
}

describe('ChangePassword', () => {
  it('allows five attempts per user per 15 minutes: the sixth is refused before the password is checked, even the right one', async () => {
    const { changePassword, users, audit, clock } = setup();
    const attempt = (currentPassword: string) =>
      codeOf(changePassword.execute(ALICE, { currentPassword, newPassword: 'a-new-password', currentSessionId: null }));
    for (let i = 0; i < 5; i++) expect(await attempt('guess')).toBe('wrong_current_password');
    expect(await attempt('old-password')).toBe('too_many_attempts');
    expect(users.rows[0].passwordHash).toBe('hashed:old-password');
    expect(audit.events.at(-1)).toEqual(expect.objectContaining({ action: 'auth.password_change_refused', metadata: { user_id: 'u-1', reason: 'too_many_attempts' } }));
    clock.advance(15 * 60);
    expect(await attempt('old-password')).toBeNull();
    expect(users.rows[0].passwordHash).toBe('hashed:a-new-password');
  });

  it('needs the current password: a wrong one changes nothing, ends no session and is audited without it', async () => {
    const { changePassword, users, sessions, session, audit } = setup();
    await session(1);
    await session(2);
    const code = await codeOf(changePassword.execute(ALICE, { currentPassword: 'guess', newPassword: 'a-new-password', currentSessionId: SESSION(1) }));
    expect(code).toBe('wrong_current_password');
    expect(users.rows[0].passwordHash).toBe('hashed:old-password');
    expect(sessions.rows.size).toBe(2);
    expect(audit.events).toEqual([
      expect.objectContaining({ actorUserId: 'u-1', action: 'auth.password_change_refused', metadata: { user_id: 'u-1', reason: 'wrong_current_password' } }),
    ]);
  });

  it('applies the password policy to the new password', async () => {
    const { changePassword, users } = setup();
    expect(await codeOf(changePassword.execute(ALICE, { currentPassword: 'old-password', newPassword: 'short', currentSessionId: null }))).toBe('weak_password');
    expect(await codeOf(changePassword.execute(ALICE, { currentPassword: 'old-password', newPassword: ' '.repeat(12), currentSessionId: null }))).toBe('weak_password');
    expect(users.rows[0].passwordHash).toBe('hashed:old-password');
  });

  it('stores the new hash, ends every other session of the user, keeps the current one and other users\' sessions', async () => {
    const { changePassword, users, sessions, session, audit } = setup();
    await session(1);
    await session(2);
    await session(3);
    await session(4, 'u-2');
    const result = await changePassword.execute(ALICE, { currentPassword: 'old-password', newPassword: 'a-new-password', currentSessionId: SESSION(2) });
    expect(result).toEqual({ ended_sessions: 2 });
    expect(users.rows[0].passwordHash).toBe('hashed:a-new-password');
    expect([...sessions.rows.keys()].sort()).toEqual([sha256Hex(SESSION(2)), sha256Hex(SESSION(4))].sort());
    expect(audit.events.at(-1)).toEqual(expect.objectContaining({ action: 'auth.password_changed', metadata: { user_id: 'u-1', ended_sessions: 2 } }));
    expect(JSON.stringify(audit.events)).not.toContain('password"');
    expect(JSON.stringify(audit.events)).not.toContain('a-new-password');
  });
});

describe('personal API tokens of the caller', () => {
  it('creates with an optional lifetime on the app clock, lists without the secret, marks expired ones', async () => {
    const { create, list, clock, audit } = setup();
    const forever = await create.execute(ALICE, { name: '  ci  ' });
    const month = await create.execute(ALICE, { name: 'month', expires_in_days: 30 });
    expect(forever.secret).toMatch(/^odk_/);
    expect(forever.token).toMatchObject({ name: 'ci', expires_at: null, expired: false, last_used_at: null });
    expect(month.token.expires_at).toBe('2027-01-05T10:00:00.000Z');
    const listed = await list.execute(ALICE);
    expect(listed.map((t) => t.name).sort()).toEqual(['ci', 'month']);
    expect(JSON.stringify(listed)).not.toContain(forever.secret);
    expect(JSON.stringify(audit.events)).not.toContain(forever.secret);
    clock.advance(30 * 24 * 3600);
    expect((await list.execute(ALICE)).find((t) => t.name === 'month')?.expired).toBe(true);
    expect(await list.execute(BOB)).toEqual([]);
  });

  it('refuses a bad name or lifetime before storing anything', async () => {
    const { create, tokens } = setup();
    expect(await codeOf(create.execute(ALICE, { name: '   ' }))).toBe('invalid_token_name');
    expect(await codeOf(create.execute(ALICE, { name: 'x', expires_in_days: 0 }))).toBe('invalid_token_expiry');
    expect(await codeOf(create.execute(ALICE, { name: 'x', expires_in_days: 366 }))).toBe('invalid_token_expiry');
    expect(tokens.rows).toEqual([]);
  });

  it('revokes only the caller\'s own token; another user\'s, unknown and already revoked ids are the same not_found', async () => {
    const { create, revoke, list, audit } = setup();
    const mine = await create.execute(ALICE, { name: 'mine' });
    const bobs = await create.execute(BOB, { name: 'bobs' });
    expect(await codeOf(revoke.execute(ALICE, bobs.token.id))).toBe('not_found');
    expect(await codeOf(revoke.execute(ALICE, '00000000-0000-4000-8000-000000000000'))).toBe('not_found');
    expect(await list.execute(BOB)).toHaveLength(1);
    await revoke.execute(ALICE, mine.token.id);
    expect(await list.execute(ALICE)).toEqual([]);
    expect(await codeOf(revoke.execute(ALICE, mine.token.id))).toBe('not_found');
    expect(audit.events.at(-1)).toEqual(expect.objectContaining({ actorUserId: 'u-1', action: 'token.revoked', subjectId: mine.token.id }));
  });
});
