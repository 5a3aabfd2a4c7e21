/**
 * Server-side sessions expire after 12 hours without activity. Activity is written back at most
 * once a minute, so a busy page does not turn every request into a database write.
 */
export interface SessionPolicy {
  idleTimeoutMs: number;
  refreshAfterMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleTimeoutMs: 12 * 60 * 60 * 1000,
  refreshAfterMs: 60 * 1000,
};

export function sessionExpiry(now: Date, policy: SessionPolicy): Date {
  return new Date(now.getTime() + policy.idleTimeoutMs);
}

export function isSessionExpired(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() <= now.getTime();
}

export function isSessionRefreshDue(lastSeenAt: Date, now: Date, policy: SessionPolicy): boolean {
  return now.getTime() - lastSeenAt.getTime() >= policy.refreshAfterMs;
}
