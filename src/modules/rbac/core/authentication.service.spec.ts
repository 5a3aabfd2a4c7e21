import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import {
  FakeHasher,
  InMemoryAttemptCounter,
  InMemorySessions,
  InMemoryUsers,
  RecordingAuditLog,
} from '../../../../test/support/fakes/in-memory-identity';
import { AuthenticationService, SignInResult } from './authentication.service';
import { LoginThrottlePolicy } from './login-throttle';
import { sha256Hex } from './secrets';

function setup(throttle: Partial<LoginThrottlePolicy> = { perAccountAndSource: 3, perSource: 5, perAccount: 10 }) {
  const clock = new FakeClock(new Date('2026-11-22T09:00:00Z'));
  const users = new InMemoryUsers();
  users.rows.push({ id: 'u-1', email: 'Alice@Example.test', displayName: 'Alice', passwordHash: 'hashed:right-password', signedInAt: null });
  const hasher = new FakeHasher();
  const sessions = new InMemorySessions(users);
  const attempts = new InMemoryAttemptCounter(clock);
  const audit = new RecordingAuditLog();
  const auth = new AuthenticationService({ users, hasher, sessions, attempts, clock, audit, throttle });
  return { clock, users, hasher, sessions, attempts, audit, auth };
}

const signedIn = (result: SignInResult) => {
  if (result.kind !== 'signed_in') throw new Error(`expected signed_in, got ${result.kind}`);
  return result;
};

describe('AuthenticationService', () => {
  it('signs in case-insensitively, stores only the hash of the session id and records the sign-in time', async () => {
    const { auth, sessions, users, clock } = setup();
    const result = signedIn(await auth.signIn({ email: ' alice@EXAMPLE.test ', password: 'right-password', ip: '10.0.0.1' }));
    expect(result.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...sessions.rows.keys()]).toEqual([sha256Hex(result.sessionId)]);
    expect(users.rows[0].signedInAt).toEqual(clock.now());
  });

  it('answers a wrong password and an unknown email the same way, verifying a password both times', async () => {
    const { auth, hasher, audit } = setup();
    expect(await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' })).toEqual({ kind: 'invalid_credentials' });
    expect(await auth.signIn({ email: 'nobody@example.test', password: 'wrong', ip: '10.0.0.1' })).toEqual({ kind: 'invalid_credentials' });
    expect(hasher.verifications).toBe(2);
    expect(audit.events).toEqual([
      { actorUserId: null, actorLabel: 'anonymous', action: 'auth.login_failed', metadata: { email: 'alice@example.test', ip: '10.0.0.1', reason: 'wrong_password' } },
      { actorUserId: null, actorLabel: 'anonymous', action: 'auth.login_failed', metadata: { email: 'nobody@example.test', ip: '10.0.0.1', reason: 'unknown_email' } },
    ]);
  });

  it('counts before checking the password: past the account × source limit, not even the right password is checked', async () => {
    const { auth, hasher, audit } = setup();
    for (let i = 0; i < 3; i++) await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    const checked = hasher.verifications;
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' })).toEqual({ kind: 'throttled' });
    expect(hasher.verifications).toBe(checked);
    expect(audit.events.at(-1)?.metadata).toEqual({ email: 'alice@example.test', ip: '10.0.0.1', reason: 'throttled_account_source' });
    // Another source is not refused: no stranger locks the owner out.
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.2' }));
  });

  it('refuses a source for the rest of the window, then forgets', async () => {
    const { auth, clock } = setup();
    for (let i = 0; i < 3; i++) await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    clock.advance(14 * 60);
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' })).toEqual({ kind: 'throttled' });
    clock.advance(15 * 60 + 1);
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' }));
  });

  it('a successful sign-in clears the account counts (the owner is back) but not the source count', async () => {
    const { auth } = setup({ perAccountAndSource: 3, perSource: 5, perAccount: 10 });
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' }));
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    // 2 attempts on the account since the success (< 3), but the source's 6th.
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' })).toEqual({ kind: 'throttled' });
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.2' }));
  });

  it('throttles a source across accounts, including unknown ones', async () => {
    const { auth, audit } = setup();
    for (let i = 0; i < 5; i++) await auth.signIn({ email: `user${i}@example.test`, password: 'x', ip: '10.6.6.6' });
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.6.6.6' })).toEqual({ kind: 'throttled' });
    expect(audit.events.at(-1)?.metadata).toMatchObject({ reason: 'throttled_source' });
  });

  it('refuses an account from every source past its ceiling; refused attempts never count towards it', async () => {
    const { auth, hasher, audit } = setup({ perAccountAndSource: 2, perSource: 50, perAccount: 4 });
    // One source hammering: only its first 2 reach the account ceiling.
    for (let i = 0; i < 20; i++) await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.1.0.1' });
    expect(hasher.verifications).toBe(2);
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.1.0.9' }));
    // Three sources after the owner's sign-in: 2 + 2 reach the ceiling of 4, the fifth check is refused anywhere.
    for (const ip of ['10.2.0.1', '10.2.0.2']) {
      for (let i = 0; i < 2; i++) await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip });
    }
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.2.0.3' })).toEqual({ kind: 'throttled' });
    expect(audit.events.at(-1)?.metadata).toMatchObject({ reason: 'throttled_account' });
  });

  it('rotates: signing in ends the session the browser had', async () => {
    const { auth, sessions } = setup();
    const first = signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '1.1.1.1' }));
    const second = signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '1.1.1.1', previousSessionId: first.sessionId }));
    expect([...sessions.rows.keys()]).toEqual([sha256Hex(second.sessionId)]);
    expect(await auth.resolveSession(first.sessionId)).toBeNull();
  });

  it('resolves a session with its user and CSRF token, sliding the idle expiry at most once a minute', async () => {
    const { auth, sessions, clock } = setup();
    const { sessionId } = signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '1.1.1.1' }));
    const session = await auth.resolveSession(sessionId);
    expect(session).toEqual({
      idHash: sha256Hex(sessionId),
      userId: 'u-1',
      email: 'Alice@Example.test',
      displayName: 'Alice',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(sessions.touches).toBe(0);
    clock.advance(59);
    await auth.resolveSession(sessionId);
    expect(sessions.touches).toBe(0);
    clock.advance(1);
    await auth.resolveSession(sessionId);
    expect(sessions.touches).toBe(1);
    expect(sessions.rows.get(sha256Hex(sessionId))?.expiresAt).toEqual(new Date(clock.now().getTime() + 12 * 3600_000));
  });

  it('expires a session after 12 idle hours and deletes it', async () => {
    const { auth, sessions, clock } = setup();
    const { sessionId } = signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '1.1.1.1' }));
    clock.advance(11 * 3600);
    expect(await auth.resolveSession(sessionId)).not.toBeNull(); // activity slides the expiry
    clock.advance(12 * 3600 - 1);
    expect(await auth.resolveSession(sessionId)).not.toBeNull();
    clock.advance(12 * 3600);
    expect(await auth.resolveSession(sessionId)).toBeNull();
    expect(sessions.rows.size).toBe(0);
  });

  it('ignores malformed cookies without a lookup, and signs out', async () => {
    const { auth, sessions } = setup();
    for (const bad of [undefined, null, '', 'short', 'x'.repeat(44)]) expect(await auth.resolveSession(bad)).toBeNull();
    const { sessionId } = signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '1.1.1.1' }));
    await auth.signOut(sessionId);
    expect(sessions.rows.size).toBe(0);
  });

  it('works without an audit log', async () => {
    const { users, hasher, sessions, attempts, clock } = setup();
    const auth = new AuthenticationService({ users, hasher, sessions, attempts, clock });
    expect(await auth.signIn({ email: 'nobody@example.test', password: 'x', ip: '1.1.1.1' })).toEqual({ kind: 'invalid_credentials' });
  });
});
