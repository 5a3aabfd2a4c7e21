import { DEFAULT_LOGIN_THROTTLE, signInCounters } from './login-throttle';

describe('login throttle counters', () => {
  const attempt = { email: 'alice@example.test', source: '10.0.0.1', signedInAt: null };

  it('takes account × source (5), then source (50), then account (30), per 15 minutes', () => {
    const counters = signInCounters(attempt, DEFAULT_LOGIN_THROTTLE);
    expect(counters.map((c) => [c.limit, c.max])).toEqual([
      ['account_source', 5],
      ['source', 50],
      ['account', 30],
    ]);
    expect(DEFAULT_LOGIN_THROTTLE.windowMs).toBe(15 * 60 * 1000);
  });

  it('keys hold no email or address in clear, and keep accounts and sources apart', () => {
    const [pair, source, account] = signInCounters(attempt, DEFAULT_LOGIN_THROTTLE).map((c) => c.key);
    expect(`${pair}${source}${account}`).not.toMatch(/alice|example|10\.0\.0\.1/);
    const [otherPair, otherSource, otherAccount] = signInCounters({ ...attempt, source: '10.0.0.2' }, DEFAULT_LOGIN_THROTTLE).map((c) => c.key);
    expect(otherPair).not.toBe(pair);
    expect(otherSource).not.toBe(source);
    expect(otherAccount).toBe(account);
  });

  it('a successful sign-in (a new signedInAt) starts new account counts, but not a new source count', () => {
    const before = signInCounters(attempt, DEFAULT_LOGIN_THROTTLE).map((c) => c.key);
    const after = signInCounters({ ...attempt, signedInAt: new Date('2026-11-22T09:00:00Z') }, DEFAULT_LOGIN_THROTTLE).map((c) => c.key);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
  });
});
