import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import {
  FakeHasher,
  InMemoryLoginAttempts,
  InMemorySessions,
  InMemoryUsers,
  RecordingAuditLog,
} from '../../../../test/support/fakes/in-memory-identity';
import { AuthenticationService, SignInResult } from './authentication.service';
import { sha256Hex } from './secrets';

function setup(throttle = { maxFailuresPerEmail: 3, maxFailuresPerIp: 5 }) {
  const clock = new FakeClock(new Date('2026-11-22T09:00:00Z'));
  const users = new InMemoryUsers();
  users.rows.push({ id: 'u-1', email: 'Alice@Example.test', displayName: 'Alice', passwordHash: 'hashed:right-password' });
  const hasher = new FakeHasher();
  const sessions = new InMemorySessions(users);
  const attempts = new InMemoryLoginAttempts();
  const audit = new RecordingAuditLog();
  const auth = new AuthenticationService({ users, hasher, sessions, attempts, clock, audit, throttle });
  return { clock, users, hasher, sessions, attempts, audit, auth };
}

const signedIn = (result: SignInResult) => {
  if (result.kind !== 'signed_in') throw new Error(`expected signed_in, got ${result.kind}`);
  return result;
};

describe('AuthenticationService', () => {
  it('signs in case-insensitively and stores only the hash of the session id', async () => {
    const { auth, sessions, attempts } = setup();
    const result = signedIn(await auth.signIn({ email: ' alice@EXAMPLE.test ', password: 'right-password', ip: '10.0.0.1' }));
    expect(result.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...sessions.rows.keys()]).toEqual([sha256Hex(result.sessionId)]);
    expect(attempts.rows).toEqual([{ email: 'alice@example.test', ip: '10.0.0.1', succeeded: true, at: expect.any(Date) }]);
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

  it('throttles an account after its failures, before checking the password, and forgets them after the window', async () => {
    const { auth, hasher, clock, audit } = setup();
    for (let i = 0; i < 3; i++) await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: `10.0.0.${i}` });
    const checked = hasher.verifications;
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.9' })).toEqual({ kind: 'throttled' });
    expect(hasher.verifications).toBe(checked);
    expect(audit.events.at(-1)?.metadata).toEqual({ email: 'alice@example.test', ip: '10.0.0.9', reason: 'throttled_email' });

    clock.advance(15 * 60 + 1);
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.9' }));
  });

  it('a successful sign-in clears the account counter (the owner is back) but not the address counter', async () => {
    const { auth } = setup({ maxFailuresPerEmail: 3, maxFailuresPerIp: 4 });
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' }));
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    await auth.signIn({ email: 'alice@example.test', password: 'wrong', ip: '10.0.0.1' });
    // 2 account failures since the success (< 3), but 4 from the address.
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.1' })).toEqual({ kind: 'throttled' });
    signedIn(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.0.0.2' }));
  });

  it('throttles an address across accounts, including unknown ones', async () => {
    const { auth } = setup();
    for (let i = 0; i < 5; i++) await auth.signIn({ email: `user${i}@example.test`, password: 'x', ip: '10.6.6.6' });
    expect(await auth.signIn({ email: 'alice@example.test', password: 'right-password', ip: '10.6.6.6' })).toEqual({ kind: 'throttled' });
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
