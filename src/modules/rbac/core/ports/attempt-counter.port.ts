export const ATTEMPT_COUNTER = Symbol('ATTEMPT_COUNTER');

/**
 * Counts attempts per key in fixed windows, atomically and in one store shared by every app
 * instance (sign-in throttling, see login-throttle.ts).
 */
export interface AttemptCounter {
  /**
   * Counts one attempt under `key` and answers whether it is within `max` for the window. Once
   * refused, the key stays refused for `windowMs`. Throws DomainError('unavailable') when the store
   * cannot be reached: an attempt that could not be counted is never let through.
   */
  take(key: string, max: number, windowMs: number): Promise<boolean>;
}
