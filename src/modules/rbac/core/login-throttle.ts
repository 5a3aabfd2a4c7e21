/**
 * Login throttling, decided from recorded failures before any password is checked. With the
 * defaults an account accepts 5 failed attempts in 15 minutes and the 6th attempt is refused
 * (429); one IP address may fail 20 times. The same answer is given whether or not the account
 * exists, so the throttle never tells an attacker which emails are real.
 */
export interface LoginThrottlePolicy {
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  maxFailuresPerEmail: 5,
  maxFailuresPerIp: 20,
  windowMs: 15 * 60 * 1000,
};

export interface RecentFailures {
  byEmail: number;
  byIp: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; reason: 'email' | 'ip' };

export function decideLoginThrottle(failures: RecentFailures, policy: LoginThrottlePolicy): ThrottleDecision {
  if (failures.byEmail >= policy.maxFailuresPerEmail) return { allowed: false, reason: 'email' };
  if (failures.byIp >= policy.maxFailuresPerIp) return { allowed: false, reason: 'ip' };
  return { allowed: true };
}

export function throttleWindowStart(now: Date, policy: LoginThrottlePolicy): Date {
  return new Date(now.getTime() - policy.windowMs);
}
