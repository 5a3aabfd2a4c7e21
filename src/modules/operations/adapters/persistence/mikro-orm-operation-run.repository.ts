import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { driverReason } from '../../../../shared/adapters/persistence/driver-reason';
import { BoundParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { OperationRun, RunChange } from '../../core/operation-run';
import { CompletionAuditEvent } from '../../core/ports/completion-audit.port';
import {
  HeartbeatAnswer,
  CompletionItem,
  NewQueuedRun,
  OperationRunRepository,
  RunGuard,
} from '../../core/ports/operation-run.repository.port';
import { OPERATION_RUN_COLUMNS, OperationRunRow, runColumns, toOperationRun } from './operation-run.row';
import { FOLLOW_UP_OUTCOMES_SQL } from './problem-class.sql';

const ACTIVE = `status in ('queued', 'running')`;

/** An audit event as its `audit_events` columns. */
const auditRow = (e: CompletionAuditEvent) => ({
  actor_user_id: e.actorUserId,
  actor_label: e.actorLabel,
  workspace_id: e.workspaceId,
  environment_id: e.environmentId,
  action: e.action,
  subject_type: e.subjectType,
  subject_id: e.subjectId,
  metadata: e.metadata,
});

/**
 * The audit log refused the event itself (a constraint or bad value in `audit_events`): the
 * transition is then applied without it, because the audit log must never block run truth.
 * A lost connection is not such a refusal: the statement may have committed.
 */
function refusedByAuditLog(error: unknown): boolean {
  const e = error as { table?: unknown; code?: unknown };
  return e?.table === 'audit_events' && /^(22|23)/.test(String(e.code ?? ''));
}

const AUDIT_COLUMNS = `at, actor_user_id, actor_label, workspace_id, environment_id, action, subject_type, subject_id, metadata`;

/**
 * The data-modifying CTE a success's completion carries (RunChange.supersedesFollowUps): the
 * follow-up runs of the same work (workspace, environment, type, fingerprint) that are already
 * completed in this statement's snapshot become superseded by it — "later" is the order of
 * completion (SPEC 2.4). The completing row is still active in that snapshot, so it never
 * matches itself; a follow-up run completing concurrently stays in follow-up (the conservative
 * side). Served by operation_runs_open_follow_up_idx; the summary trigger moves the counts.
 */
const SUPERSEDE_FOLLOW_UPS = `superseded as (
  update operation_runs o set superseded_by = u.id, updated_at = now()
    from updated u
   where u.status = 'completed' and u.outcome = 'succeeded' and u.supersedes
     and o.fingerprint = u.fingerprint and o.workspace_id = u.workspace_id and o.type = u.type
     and o.environment_id is not distinct from u.environment_id
     and o.status = 'completed' and o.outcome in ${FOLLOW_UP_OUTCOMES_SQL} and o.superseded_by is null)`;

/**
 * Set-based, parameterized SQL for every run write: each transition is one guarded UPDATE so
 * two writers racing for the same run can never both win. A completion's audit event is
 * inserted by the completion's own statement (a data-modifying CTE over the updated row): they
 * commit together or not at all, in one round trip.
 */
@Injectable()
export class MikroOrmOperationRunRepository implements OperationRunRepository {
  private readonly logger = new Logger(MikroOrmOperationRunRepository.name);

  constructor(private readonly em: EntityManager) {}

  async insertQueuedOrFindActive(run: NewQueuedRun): Promise<{ run: OperationRun; created: boolean }> {
    // A duplicate that completes between our INSERT and SELECT frees the slot: try again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const inserted = await this.rows(
        `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome,
           initiator_user_id, fingerprint, context, summary_counts, attempts, created_at, updated_at)
         values (?, ?, ?, ?, 'queued', 'pending', ?, ?, ?::jsonb, '{}'::jsonb, 0, ?, ?)
         on conflict (workspace_id, environment_id, type, fingerprint) where ${ACTIVE} do nothing
         returning ${OPERATION_RUN_COLUMNS}`,
        [
          run.id,
          run.workspaceId,
          run.environmentId,
          run.type,
          run.initiatorUserId,
          run.fingerprint,
          JSON.stringify(run.context),
          run.createdAt,
          run.createdAt,
        ],
      );
      if (inserted.length) return { run: toOperationRun(inserted[0]), created: true };
      const existing = await this.rows(
        `select ${OPERATION_RUN_COLUMNS} from operation_runs
          where workspace_id = ? and environment_id is not distinct from ? and type = ?
            and fingerprint = ? and ${ACTIVE}
          limit 1`,
        [run.workspaceId, run.environmentId, run.type, run.fingerprint],
      );
      if (existing.length) return { run: toOperationRun(existing[0]), created: false };
    }
    throw new Error('Could not insert or find the active run after repeated conflicts.');
  }

  async findById(id: string): Promise<OperationRun | null> {
    const [row] = await preparedRows<OperationRunRow>(this.em, `select ${runColumns('r')} from operation_runs r where r.id = ?`, [id]);
    return row ? toOperationRun(row) : null;
  }

  async compareAndSet(id: string, guard: RunGuard, change: RunChange, audit?: CompletionAuditEvent): Promise<OperationRun | null> {
    try {
      return await this.guardedUpdate(id, guard, change, audit);
    } catch (error) {
      if (!audit || !refusedByAuditLog(error)) throw error;
      this.logger.error(`Could not audit the completion of run ${id}: ${driverReason(error)}`);
      return this.guardedUpdate(id, guard, change);
    }
  }

  private async guardedUpdate(id: string, guard: RunGuard, change: RunChange, audit?: CompletionAuditEvent): Promise<OperationRun | null> {
    const sets: string[] = [];
    const params: BoundParam[] = [];
    const set = (column: string, value: BoundParam, cast = '') => {
      sets.push(`${column} = ?${cast}`);
      params.push(value);
    };
    if (change.status !== undefined) set('status', change.status);
    if (change.outcome !== undefined) set('outcome', change.outcome);
    if (change.startedAt !== undefined) set('started_at', change.startedAt);
    if (change.lastHeartbeatAt !== undefined) set('last_heartbeat_at', change.lastHeartbeatAt);
    if (change.completedAt !== undefined) set('completed_at', change.completedAt);
    if (change.attempts !== undefined) set('attempts', change.attempts);
    if (change.summaryCounts !== undefined) set('summary_counts', JSON.stringify(change.summaryCounts), '::jsonb');
    const mergesContext = !!change.contextMerge && Object.keys(change.contextMerge).length > 0;
    const mergesDiagnostics = !!change.diagnosticsMerge && Object.keys(change.diagnosticsMerge).length > 0;
    if (mergesDiagnostics) {
      sets.push(`context = jsonb_set(context || ?::jsonb, '{diagnostics}',
        coalesce(context->'diagnostics', '{}'::jsonb) || ?::jsonb)`);
      params.push(JSON.stringify(change.contextMerge ?? {}), JSON.stringify(change.diagnosticsMerge));
    } else if (mergesContext) {
      sets.push('context = context || ?::jsonb');
      params.push(JSON.stringify(change.contextMerge));
    }
    sets.push('updated_at = now()');
    let where = 'id = ? and status = ?';
    params.push(id, guard.status);
    if (guard.attempts !== undefined) {
      where += ' and attempts = ?';
      params.push(guard.attempts);
    }
    const supersedes = !!change.supersedesFollowUps && change.status === 'completed' && change.outcome === 'succeeded';
    // `supersedes` tells the supersede CTE which updated rows ask for it (always this one here).
    const returning = supersedes ? `${OPERATION_RUN_COLUMNS}, true as supersedes` : OPERATION_RUN_COLUMNS;
    const update = `update operation_runs set ${sets.join(', ')} where ${where} returning ${returning}`;
    const ctes: string[] = [];
    if (supersedes) ctes.push(SUPERSEDE_FOLLOW_UPS);
    if (audit) {
      ctes.push(`audited as (insert into audit_events (${AUDIT_COLUMNS})
          select ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb from updated)`);
      const row = auditRow(audit);
      params.push(
        change.completedAt ?? new Date(),
        row.actor_user_id,
        row.actor_label,
        row.workspace_id,
        row.environment_id,
        row.action,
        row.subject_type,
        row.subject_id,
        JSON.stringify(row.metadata),
      );
    }
    const sql = ctes.length
      ? `with updated as (${update}),
        ${ctes.join(',\n        ')}
        select ${OPERATION_RUN_COLUMNS} from updated`
      : update;
    const rows = await this.rows(sql, params);
    return rows.length ? toOperationRun(rows[0]) : null;
  }

  async completeMany(items: CompletionItem[]): Promise<OperationRun[]> {
    if (!items.length) return [];
    try {
      return await this.completeBatch(items);
    } catch (error) {
      if (!items.some((i) => i.audit) || !refusedByAuditLog(error)) throw error;
      this.logger.error(`Could not audit the completion of ${items.length} runs: ${driverReason(error)}`);
      return this.completeBatch(items.map(({ audit: _audit, ...item }) => item));
    }
  }

  private async completeBatch(items: CompletionItem[]): Promise<OperationRun[]> {
    const rows = items.map(({ id, expectedStatus, expectedAttempts, change, audit }) => {
      if (change.status !== 'completed' || !change.outcome || !change.completedAt) {
        throw new Error('completeMany only completes runs');
      }
      return {
        id,
        expected_status: expectedStatus,
        expected_attempts: expectedAttempts ?? null,
        outcome: change.outcome,
        completed_at: change.completedAt.toISOString(),
        summary_counts: change.summaryCounts ?? null,
        context_merge: change.contextMerge ?? {},
        diagnostics_merge: change.diagnosticsMerge && Object.keys(change.diagnosticsMerge).length ? change.diagnosticsMerge : null,
        audit: audit ? auditRow(audit) : null,
        supersedes: !!change.supersedesFollowUps && change.outcome === 'succeeded',
      };
    });
    // One statement for the whole batch; the status (and attempt) guard per row keeps it
    // compare-and-set, and only the winners' audit events are inserted.
    const updated = await preparedRows<OperationRunRow>(
      this.em,
      `with updated as (update operation_runs r set
          status = 'completed',
          outcome = v.outcome,
          completed_at = v.completed_at,
          summary_counts = coalesce(v.summary_counts, r.summary_counts),
          context = case when v.diagnostics_merge is null then r.context || v.context_merge
                    else jsonb_set(r.context || v.context_merge, '{diagnostics}',
                           coalesce(r.context->'diagnostics', '{}'::jsonb) || v.diagnostics_merge) end,
          updated_at = now()
        from jsonb_to_recordset(?::jsonb) as v(id uuid, expected_status text, expected_attempts int, outcome text,
          completed_at timestamptz, summary_counts jsonb, context_merge jsonb, diagnostics_merge jsonb, audit jsonb,
          supersedes boolean)
       where r.id = v.id and r.status = v.expected_status
         and (v.expected_attempts is null or r.attempts = v.expected_attempts)
       returning ${runColumns('r')}, v.audit as audit_event, v.supersedes),
      ${SUPERSEDE_FOLLOW_UPS},
      audited as (insert into audit_events (${AUDIT_COLUMNS})
        select u.completed_at, e.actor_user_id, e.actor_label, e.workspace_id, e.environment_id, e.action,
               e.subject_type, e.subject_id, coalesce(e.metadata, '{}'::jsonb)
          from updated u
         cross join lateral jsonb_to_record(u.audit_event) as e(actor_user_id uuid, actor_label text, workspace_id uuid,
               environment_id uuid, action text, subject_type text, subject_id text, metadata jsonb)
         where u.audit_event is not null)
      select ${OPERATION_RUN_COLUMNS} from updated`,
      [JSON.stringify(rows)],
    );
    return updated.map(toOperationRun);
  }

  async touchHeartbeat(id: string, attempt: number, at: Date): Promise<HeartbeatAnswer> {
    const rows = await preparedRows<{ cancel_requested: boolean }>(
      this.em,
      `update operation_runs set last_heartbeat_at = ?, updated_at = now()
        where id = ? and status = 'running' and attempts = ?
        returning jsonb_typeof(context->'cancellation') = 'object' as cancel_requested`,
      [at, id, attempt],
    );
    if (rows.length !== 1) return 'gone';
    return rows[0].cancel_requested ? 'cancel_requested' : 'alive';
  }

  async appendDiagnostic(id: string, key: string, entry: Record<string, unknown>): Promise<void> {
    await this.rows(
      `update operation_runs
          set context = jsonb_set(context, '{diagnostics}',
                coalesce(context->'diagnostics', '{}'::jsonb)
                || jsonb_build_object(?::text,
                     coalesce(context->'diagnostics'->?::text, '[]'::jsonb) || jsonb_build_array(?::jsonb))),
              updated_at = now()
        where id = ?`,
      [key, key, JSON.stringify(entry), id],
    );
  }

  private rows(sql: string, params: BoundParam[]): Promise<OperationRunRow[]> {
    return preparedRows<OperationRunRow>(this.em, sql, params);
  }
}
