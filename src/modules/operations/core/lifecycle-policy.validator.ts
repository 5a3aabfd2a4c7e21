import { DURATION_KEYS, longestBackoffS } from './lifecycle-policy';
import { LifecyclePolicy, OperationTypeDefinition } from './operation-type';

/** The BullMQ worker timings a stale window has to outlast (SPEC 2.3). */
export interface QueueTimingSettings {
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** Boot refuses to start with these; `violations` keeps them for CLI/tests. */
export class LifecycleConfigError extends Error {
  constructor(readonly violations: string[]) {
    super(`Lifecycle configuration is invalid:\n${violations.map((v) => ` - ${v}`).join('\n')}`);
    this.name = 'LifecycleConfigError';
  }
}


/**
 * One line per broken invariant. Each invariant guards against the same failure: a live job that
 * the reconciler would call stale (or a job killed before it could reasonably finish).
 * A field that is itself nonsense (not a positive number) is reported once and the invariants
 * that depend on it are skipped, so one bad value does not produce a cascade of lines.
 */
export function validateLifecyclePolicies(
  definitions: OperationTypeDefinition[],
  queue: QueueTimingSettings,
  opts: { catalogTypes?: string[] } = {},
): string[] {
  const violations: string[] = [];
  const covered = new Set(definitions.filter((d) => d.policy).map((d) => d.type));
  for (const type of opts.catalogTypes ?? []) {
    if (!covered.has(type)) violations.push(`${type}: no lifecycle policy`);
  }
  for (const def of definitions) {
    if (def.policy) violations.push(...policyViolations(def.type, def.policy, queue));
    else if (!opts.catalogTypes?.includes(def.type)) violations.push(`${def.type}: no lifecycle policy`);
  }
  return violations;
}

function policyViolations(type: string, p: LifecyclePolicy, queue: QueueTimingSettings): string[] {
  const out: string[] = [];
  const ok = new Set<string>();
  for (const key of DURATION_KEYS) {
    if (isPositive(p[key])) ok.add(key);
    else out.push(`${type}: ${key} (${String(p[key])}) must be a positive number`);
  }
  const attemptsOk = Number.isInteger(p.max_attempts) && p.max_attempts >= 1;
  if (!attemptsOk) out.push(`${type}: max_attempts (${String(p.max_attempts)}) must be an integer of at least 1`);
  const backoffOk =
    !!p.backoff && isPositive(p.backoff.delay_s) && ['fixed', 'exponential'].includes(p.backoff.type);
  if (!backoffOk) out.push(`${type}: backoff must be { type: fixed | exponential, delay_s: positive number }`);

  const running = p.stale_running_after_s;
  const queued = p.stale_queued_after_s;
  const lockS = queue.lockDurationMs / 1000;
  const stallS = queue.stalledIntervalMs / 1000;
  const lockPlusStall =
    `the queue lock duration plus the stall check interval (${lockS}s + ${stallS}s = ${lockS + stallS}s)`;

  if (ok.has('stale_running_after_s') && ok.has('heartbeat_s')) {
    const hb = p.heartbeat_s;
    // Checked first and exclusively: heartbeat >= window also breaks the 3× rule; say it once.
    if (hb >= running) {
      out.push(`${type}: heartbeat_s (${hb}s) is not shorter than stale_running_after_s (${running}s)`);
    } else if (running < 3 * hb) {
      out.push(
        `${type}: stale_running_after_s (${running}s) is shorter than three heartbeat intervals (3 × ${hb}s = ${3 * hb}s)`,
      );
    }
  }
  if (ok.has('stale_running_after_s') && running < lockS + stallS) {
    // A crashed worker's job is only noticed after its lock expires and the stall check runs.
    out.push(`${type}: stale_running_after_s (${running}s) is shorter than ${lockPlusStall}`);
  }
  if (ok.has('stale_running_after_s') && attemptsOk && backoffOk) {
    const backoff = longestBackoffS(p);
    if (running < backoff) {
      out.push(`${type}: stale_running_after_s (${running}s) is shorter than the longest retry backoff (${backoff}s)`);
    }
  }
  if (ok.has('stale_queued_after_s') && queued < lockS + stallS) {
    out.push(`${type}: stale_queued_after_s (${queued}s) is shorter than ${lockPlusStall}`);
  }
  if (ok.has('job_timeout_s') && ok.has('expected_duration_s') && p.job_timeout_s < p.expected_duration_s) {
    out.push(
      `${type}: job_timeout_s (${p.job_timeout_s}s) is shorter than expected_duration_s (${p.expected_duration_s}s)`,
    );
  }
  return out;
}

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
