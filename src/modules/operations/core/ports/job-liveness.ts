/**
 * What the queue can prove about a run's job. `active_locked` (a worker holds its lock) and
 * `delayed_retry` (waiting out a legitimate backoff) are alive; `unreachable` proves nothing.
 */
export type JobLiveness =
  | 'active_locked'
  | 'active_unlocked'
  | 'delayed_retry'
  | 'waiting'
  | 'missing'
  | 'completed'
  | 'failed'
  | 'unreachable';

export function isJobAlive(liveness: JobLiveness): boolean {
  return liveness === 'active_locked' || liveness === 'delayed_retry';
}
