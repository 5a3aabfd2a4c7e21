import { decideLoginThrottle, DEFAULT_LOGIN_THROTTLE, throttleWindowStart } from './login-throttle';

describe('login throttle', () => {
  it('allows up to 5 failures per account and 20 per address, then refuses', () => {
    expect(decideLoginThrottle({ byEmail: 4, byIp: 19 }, DEFAULT_LOGIN_THROTTLE)).toEqual({ allowed: true });
    expect(decideLoginThrottle({ byEmail: 5, byIp: 0 }, DEFAULT_LOGIN_THROTTLE)).toEqual({ allowed: false, reason: 'email' });
    expect(decideLoginThrottle({ byEmail: 0, byIp: 20 }, DEFAULT_LOGIN_THROTTLE)).toEqual({ allowed: false, reason: 'ip' });
  });

  it('looks back 15 minutes', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(throttleWindowStart(now, DEFAULT_LOGIN_THROTTLE)).toEqual(new Date('2026-11-22T11:45:00Z'));
  });
});
