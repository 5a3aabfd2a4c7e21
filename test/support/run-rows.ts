import { randomUUID } from 'node:crypto';
import { computeRunFingerprint } from '../../src/modules/operations/core/run-fingerprint';
import { TestDatabase } from './test-database';

export interface RunRowOptions {
  workspaceId: string;
  environmentId: string | null;
  type: string;
  status: 'queued' | 'running' | 'completed';
  outcome?: string;
  /** Seconds ago, relative to the database clock. */
  createdAgoS?: number;
  heartbeatAgoS?: number | null;
  attempts?: number;
  context?: Record<string, unknown>;
  initiatorUserId?: string | null;
  summaryCounts?: Record<string, number>;
}

/** Inserts a run row directly, as if it had been left behind by a dead worker or an old deploy. */
export async function insertRunRow(db: TestDatabase, o: RunRowOptions): Promise<string> {
  const id = randomUUID();
  const created = o.createdAgoS ?? 3600;
  const running = o.status === 'running';
  await db.query(
    `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
       summary_counts, attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at, initiator_user_id)
     values ($1::uuid, $2, $3, $4, $5, $6, $13, $7::jsonb, $15::jsonb, $8,
       now() - make_interval(secs => $9), $10, $11, $12, now(), $14)`,
    [
      id,
      o.workspaceId,
      o.environmentId,
      o.type,
      o.status,
      o.outcome ?? (o.status === 'completed' ? 'succeeded' : 'pending'),
      JSON.stringify(o.context ?? { attempts: running ? [{ n: 1, started_at: new Date().toISOString(), ended_at: null, error_code: null }] : [] }),
      o.attempts ?? (running ? 1 : 0),
      created,
      running ? new Date(Date.now() - created * 1000) : null,
      running && o.heartbeatAgoS !== null ? new Date(Date.now() - (o.heartbeatAgoS ?? created) * 1000) : null,
      o.status === 'completed' ? new Date() : null,
      `fp-${id}`,
      o.initiatorUserId ?? null,
      JSON.stringify(o.summaryCounts ?? {}),
    ],
  );
  return id;
}

/**
 * A finished `test.noop` {n} run that an earlier deploy left behind, with the fingerprint a start of
 * {n} computes, completed `completedAgoS` seconds ago (the supersede tests' follow-up runs).
 */
export async function insertFinishedNoopRun(
  db: TestDatabase,
  o: { workspaceId: string; environmentId: string | null; n: number; outcome: string; completedAgoS?: number },
): Promise<string> {
  const fingerprint = computeRunFingerprint({
    type: 'test.noop',
    workspaceId: o.workspaceId,
    environmentId: o.environmentId,
    basis: { n: o.n },
  });
  const [{ id }] = await db.query<{ id: string }>(
    `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, created_at, completed_at, updated_at)
     values (gen_random_uuid(), $1, $2, 'test.noop', 'completed', $3, $4, now() - interval '1 hour', now() - make_interval(secs => $5), now())
     returning id`,
    [o.workspaceId, o.environmentId, o.outcome, fingerprint, o.completedAgoS ?? 60],
  );
  return id;
}
