import { OperationRun, RunContext, RunOutcome, RunStatus } from '../../core/operation-run';
import { readSummaryCounts } from '../../core/summary-counts';
import { isRecord } from '../../../../shared/core/json-guards';

/** A raw `operation_runs` row as node-postgres returns it (timestamptz → Date, jsonb → object). */
export interface OperationRunRow {
  id: string;
  workspace_id: string;
  environment_id: string | null;
  type: string;
  status: string;
  outcome: string;
  initiator_user_id: string | null;
  fingerprint: string;
  context: unknown;
  summary_counts: unknown;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  last_heartbeat_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
  superseded_by: string | null;
}

const RUN_COLUMN_NAMES = [
  'id', 'workspace_id', 'environment_id', 'type', 'status', 'outcome', 'initiator_user_id', 'fingerprint',
  'context', 'summary_counts', 'attempts', 'created_at', 'started_at', 'last_heartbeat_at', 'completed_at', 'updated_at',
  'superseded_by',
] as const;

/**
 * The columns of `OperationRunRow`, named (never `*`): these statements are prepared once per
 * connection, and a prepared `select *` fails ("cached plan must not change result type") on
 * every running instance as soon as a migration adds a column.
 */
export const runColumns = (alias?: string): string => RUN_COLUMN_NAMES.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');

export const OPERATION_RUN_COLUMNS = runColumns();

export function toOperationRun(row: OperationRunRow): OperationRun {
  const context = isRecord(row.context) ? (row.context as RunContext) : {};
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    environmentId: row.environment_id,
    type: row.type,
    status: row.status as RunStatus,
    outcome: row.outcome as RunOutcome,
    initiatorUserId: row.initiator_user_id,
    fingerprint: row.fingerprint,
    context,
    summaryCounts: readSummaryCounts(row.summary_counts),
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at),
    startedAt: row.started_at ? new Date(row.started_at) : null,
    lastHeartbeatAt: row.last_heartbeat_at ? new Date(row.last_heartbeat_at) : null,
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
    updatedAt: new Date(row.updated_at),
    supersededBy: row.superseded_by ?? null,
  };
}
