import { EntitySchema } from '@mikro-orm/core';
import { OperationRun } from '../../core/operation-run';

/** Maps the core record without decorators; writes go through the repository's guarded SQL. */
export const OperationRunSchema = new EntitySchema<OperationRun>({
  name: 'OperationRun',
  tableName: 'operation_runs',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid', fieldName: 'workspace_id' },
    environmentId: { type: 'uuid', fieldName: 'environment_id', nullable: true },
    type: { type: 'text' },
    status: { type: 'text' },
    outcome: { type: 'text' },
    initiatorUserId: { type: 'uuid', fieldName: 'initiator_user_id', nullable: true },
    fingerprint: { type: 'text' },
    context: { type: 'json' },
    summaryCounts: { type: 'json', fieldName: 'summary_counts' },
    attempts: { type: 'integer' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    startedAt: { type: 'Date', fieldName: 'started_at', nullable: true },
    lastHeartbeatAt: { type: 'Date', fieldName: 'last_heartbeat_at', nullable: true },
    completedAt: { type: 'Date', fieldName: 'completed_at', nullable: true },
    updatedAt: { type: 'Date', fieldName: 'updated_at' },
    supersededBy: { type: 'uuid', fieldName: 'superseded_by', nullable: true },
  },
});
