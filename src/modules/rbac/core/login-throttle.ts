import { sha256Hex } from './secrets';

/**
 * Sign-in throttling: which attempt counters a sign-in takes, in which order, before any password
 * is checked. Every counter is taken atomically (a shared store, see the AttemptCounter port), so
 * thirty simultaneous guesses cannot slip past a limit of five.
 *
 * - account × source: 5 attempts per 15 minutes for one email from one source address — the limit
 *   a guesser meets first. A successful sign-in starts a new count (the key carries the time of the
 *   account's last sign-in), so the owner's own typos never pile up.
 * - source: 50 attempts per 15 minutes from one address, whatever the accounts (password spraying).
 * - account: 30 attempts per 15 minutes from all sources together, a ceiling on distributed guessing.
 *
 * Only attempts that passed the counters before it count towards the next one, so a refused source
 * adds nothing to the account ceiling: one stranger can spend at most 5 of an account's 30, and
 * locking an owner out takes six sources guessing at once — while each source alone leaves the owner
 * free to sign in from anywhere else. Unknown emails are counted exactly like real ones, so the
 * answers never tell which accounts exist.
 */
export interface LoginThrottlePolicy {
  perAccountAndSource: number;
  perSource: number;
  perAccount: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  perAccountAndSource: 5,
  perSource: 50,
  perAccount: 30,
  windowMs: 15 * 60 * 1000,
};

export type ThrottleLimit = 'account_source' | 'source' | 'account';

export interface AttemptCounterKey {
  limit: ThrottleLimit;
  /** Opaque: hashes, so the store holds no email or address in clear. */
  key: string;
  max: number;
}

export interface SignInAttempt {
  /** Lower-cased email as typed (the account may not exist). */
  email: string;
  source: string;
  /** The account's last successful sign-in; null for none or an unknown email. */
  signedInAt: Date | null;
}

/** The counters an attempt takes, in the order they are taken (the first refusal stops the rest). */
export function signInCounters(attempt: SignInAttempt, policy: LoginThrottlePolicy): AttemptCounterKey[] {
  const account = sha256Hex(`${attempt.email}\u0000${attempt.signedInAt?.toISOString() ?? '-'}`);
  const source = sha256Hex(attempt.source);
  return [
    { limit: 'account_source', key: `account_source:${account}:${source}`, max: policy.perAccountAndSource },
    { limit: 'source', key: `source:${source}`, max: policy.perSource },
    { limit: 'account', key: `account:${account}`, max: policy.perAccount },
  ];
}
