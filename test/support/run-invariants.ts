import { OPERATION_COMPLETED, OPERATION_RECONCILED } from '../../src/shared/core/audit-trail/audit-actions';
import { TestApp } from './test-app';

/**
 * The promise every fault scenario must keep, read straight from PostgreSQL (no app code in
 * between, so a bug in the app's own reads cannot hide one in its writes):
 *
 * - every run is terminal, except the ones the scenario says may legitimately still be active;
 * - no two active runs share one dedupe identity (workspace, environment, type, fingerprint);
 * - no run was lost: exactly the expected runs exist;
 * - no double transition: each completed run was completed exactly once (one terminal audit
 *   event, written by the audit observer only after a compare-and-set won), each active run has
 *   none, every attempt of a completed run is closed and the attempt counter matches the record.
 */
export interface RunInvariantOptions {
  /** The runs that must exist: their ids (exact set) or just how many. Default: not checked. */
  expectRuns?: string[] | number;
  /** Runs allowed to still be queued or running (e.g. a live worker holds them). */
  allowActive?: string[];
  /** Only look at these runs (a scenario sharing its database with another). */
  only?: string[];
  /**
   * How long a violation may take to resolve before it counts (default 3 s). A run's audit event
   * is written right after its transition commits, so a test that saw `completed` a moment ago
   * may look before the event landed; a real violation still fails, just later.
   */
  settleMs?: number;
}

export interface RunRowSnapshot {
  id: string;
  type: string;
  status: 'queued' | 'running' | 'completed';
  outcome: string;
  fingerprint: string;
  workspace_id: string;
  environment_id: string | null;
  attempts: number;
  completed_at: Date | null;
  context: {
    attempts?: Array<{ n: number; started_at: string; ended_at: string | null; error_code: string | null }>;
    reconciliation?: Record<string, unknown>;
    failures?: Array<{ code: string; message: string }>;
    diagnostics?: Record<string, unknown>;
  };
  terminal_events: number;
}

export interface RunInvariantReport {
  runs: RunRowSnapshot[];
  byOutcome: Record<string, number>;
  /** Runs with a recorded losing writer (`context.diagnostics.lost_transitions`): evidence of a race that the CAS settled. */
  lostTransitions: number;
}

export async function assertRunInvariants(t: TestApp, opts: RunInvariantOptions = {}): Promise<RunInvariantReport> {
  const deadline = Date.now() + (opts.settleMs ?? 3_000);
  for (;;) {
    const { runs, problems } = await check(t, opts);
    if (!problems.length) return report(runs);
    if (Date.now() > deadline) throw new Error(`Run invariants violated:\n- ${problems.join('\n- ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function check(t: TestApp, opts: RunInvariantOptions): Promise<{ runs: RunRowSnapshot[]; problems: string[] }> {
  const runs = await t.db.query<RunRowSnapshot>(
    `select r.id, r.type, r.status, r.outcome, r.fingerprint, r.workspace_id, r.environment_id, r.attempts,
            r.completed_at, r.context,
            (select count(*)::int from audit_events a
              where a.subject_type = 'operation_run' and a.subject_id = r.id::text
                and a.action in ($1, $2)) as terminal_events
       from operation_runs r
      where $3::uuid[] is null or r.id = any($3::uuid[])
      order by r.created_at, r.id`,
    [OPERATION_COMPLETED, OPERATION_RECONCILED, opts.only ?? null],
  );
  const problems: string[] = [];
  const allowActive = new Set(opts.allowActive ?? []);

  // No lost runs (and no extra ones).
  if (typeof opts.expectRuns === 'number' && runs.length !== opts.expectRuns) {
    problems.push(`expected ${opts.expectRuns} runs, found ${runs.length}`);
  }
  if (Array.isArray(opts.expectRuns)) {
    const found = new Set(runs.map((r) => r.id));
    for (const id of opts.expectRuns) if (!found.has(id)) problems.push(`run ${id} is lost (no row)`);
    const expected = new Set(opts.expectRuns);
    for (const r of runs) if (!expected.has(r.id)) problems.push(`run ${r.id} was not expected (${r.type}, ${r.status})`);
  }

  const activeByIdentity = new Map<string, string[]>();
  for (const r of runs) {
    const key = (r.context as { inputs?: { key?: unknown } }).inputs?.key;
    const label = `run ${r.id} (${r.type}${typeof key === 'string' ? ` "${key}"` : ''}, attempts ${r.attempts})`;
    const ctxAttempts = r.context.attempts ?? [];
    if (r.status === 'completed') {
      if (r.outcome === 'pending') problems.push(`${label} is completed with outcome pending`);
      if (!r.completed_at) problems.push(`${label} is completed without completed_at`);
      if (r.terminal_events !== 1) problems.push(`${label} has ${r.terminal_events} terminal audit events, expected exactly 1`);
      const open = ctxAttempts.filter((a) => !a.ended_at);
      if (open.length) problems.push(`${label} is completed with ${open.length} attempt(s) still open`);
    } else {
      if (!allowActive.has(r.id)) problems.push(`${label} is still ${r.status} (outcome ${r.outcome})`);
      if (r.outcome !== 'pending') problems.push(`${label} is ${r.status} with outcome ${r.outcome}`);
      if (r.completed_at) problems.push(`${label} is ${r.status} but has completed_at`);
      if (r.terminal_events !== 0) problems.push(`${label} is ${r.status} but has ${r.terminal_events} terminal audit events`);
      if (ctxAttempts.filter((a) => !a.ended_at).length > 1) problems.push(`${label} has more than one open attempt`);
      const identity = [r.workspace_id, r.environment_id, r.type, r.fingerprint].join('|');
      activeByIdentity.set(identity, [...(activeByIdentity.get(identity) ?? []), r.id]);
    }
    // The attempt counter and the attempt records move together (one beginAttempt each).
    if (ctxAttempts.length !== r.attempts) {
      problems.push(`${label}: attempts column ${r.attempts} but ${ctxAttempts.length} attempt records`);
    }
    const numbers = ctxAttempts.map((a) => a.n);
    if (numbers.some((n, i) => n !== i + 1)) problems.push(`${label}: attempt numbers ${JSON.stringify(numbers)} are not 1..n`);
    if (r.context.reconciliation !== undefined && (r.context.reconciliation === null || Array.isArray(r.context.reconciliation))) {
      problems.push(`${label}: context.reconciliation is not one record`);
    }
  }
  for (const [key, ids] of activeByIdentity) {
    if (ids.length > 1) problems.push(`${ids.length} active runs share one dedupe identity ${key}: ${ids.join(', ')}`);
  }

  return { runs, problems };
}

function report(runs: RunRowSnapshot[]): RunInvariantReport {
  const byOutcome: Record<string, number> = {};
  for (const r of runs) {
    const key = r.status === 'completed' ? r.outcome : r.status;
    byOutcome[key] = (byOutcome[key] ?? 0) + 1;
  }
  return {
    runs,
    byOutcome,
    lostTransitions: runs.filter((r) => Array.isArray(r.context.diagnostics?.lost_transitions)).length,
  };
}
