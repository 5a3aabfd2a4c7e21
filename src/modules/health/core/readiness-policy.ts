/** The checks a readiness probe can run (the README's readiness table). */
export type ReadinessCheck = 'database' | 'migrations' | 'redis' | 'worker' | 'fleet_workers';

/**
 * What each role needs to do its own work. A web instance serves signed-in pages and reads from
 * PostgreSQL alone; with Redis down its starts (and sign-ins) answer 503, which is no reason to
 * take it out of a load balancer. A worker needs Redis and its own heartbeat; a scheduler's sweeps
 * need Redis to tell live jobs from lost ones.
 */
const REQUIRED_BY_ROLE: Record<string, readonly ReadinessCheck[]> = {
  web: [],
  worker: ['redis', 'worker'],
  scheduler: ['redis'],
};
const ALWAYS_REQUIRED: readonly ReadinessCheck[] = ['database', 'migrations'];
/** Reported in the details by every instance, ready or not, without deciding readiness. */
const ALWAYS_REPORTED: readonly ReadinessCheck[] = ['redis', 'fleet_workers'];

/** The checks that decide this instance's readiness, and the ones it only reports. */
export function readinessChecksFor(roles: readonly string[]): { required: ReadinessCheck[]; reported: ReadinessCheck[] } {
  const required = [...new Set([...ALWAYS_REQUIRED, ...roles.flatMap((role) => REQUIRED_BY_ROLE[role] ?? [])])];
  return { required, reported: ALWAYS_REPORTED.filter((name) => !required.includes(name)) };
}
