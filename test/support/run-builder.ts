import { OperationRun, ReconciliationRecord } from '../../src/modules/operations/core/operation-run';
import {
  LifecyclePolicy,
  OperationTypeDefinition,
} from '../../src/modules/operations/core/operation-type';

/** Fixed reference instant: specs derive every `now` from it, never from the real clock. */
export const T0 = new Date('2025-01-15T10:00:00.000Z');

/** `T0` (or `from`) plus a number of seconds; fractional seconds allowed for boundary tests. */
export function at(seconds: number, from: Date = T0): Date {
  return new Date(from.getTime() + seconds * 1000);
}

export const DEFAULT_POLICY: LifecyclePolicy = {
  expected_duration_s: 60,
  heartbeat_s: 5,
  stale_queued_after_s: 300,
  stale_running_after_s: 90,
  job_timeout_s: 600,
  max_attempts: 3,
  backoff: { type: 'exponential', delay_s: 5 },
};

/** A queued `inventory.sync` run created at `T0`. */
export function buildRun(overrides: Partial<OperationRun> = {}): OperationRun {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    workspaceId: '00000000-0000-4000-8000-0000000000a1',
    environmentId: '00000000-0000-4000-8000-0000000000e1',
    type: 'inventory.sync',
    status: 'queued',
    outcome: 'pending',
    initiatorUserId: '00000000-0000-4000-8000-0000000000b1',
    fingerprint: 'fp-inventory-sync',
    context: {},
    summaryCounts: {},
    attempts: 0,
    createdAt: T0,
    startedAt: null,
    lastHeartbeatAt: null,
    completedAt: null,
    updatedAt: T0,
    ...overrides,
  };
}

export type DefinitionOverrides = Partial<Omit<OperationTypeDefinition, 'policy'>> & {
  policy?: Partial<LifecyclePolicy>;
};

export function buildDefinition(overrides: DefinitionOverrides = {}): OperationTypeDefinition {
  const { policy, ...rest } = overrides;
  return {
    type: 'inventory.sync',
    label: 'Inventory sync',
    module: 'baselines',
    capability: 'inventory.sync',
    progress_mode: 'counted',
    aliases: ['inventory_sync'],
    phases: [],
    ...rest,
    // A fresh backoff too, so a spec that mutates its copy never touches DEFAULT_POLICY.
    policy: { ...DEFAULT_POLICY, backoff: { ...DEFAULT_POLICY.backoff }, ...policy },
  };
}

/**
 * The same definition as one entry of config/operation-catalog.json, where the type name is the
 * entry's key rather than a field.
 */
export function buildCatalogEntry(overrides: DefinitionOverrides = {}): Omit<OperationTypeDefinition, 'type'> {
  const { type: _type, ...entry } = buildDefinition(overrides);
  return entry;
}

/** A scheduled reconciler's `stale_running` record, reconciled at `T0 + 400s`. */
export function buildReconciliation(overrides: Partial<ReconciliationRecord> = {}): ReconciliationRecord {
  return {
    version: 1,
    reason: 'stale_running',
    source: 'scheduled_reconciler',
    decision: 'fail',
    reconciled_at: at(400).toISOString(),
    previous_status: 'running',
    previous_outcome: 'pending',
    ...overrides,
  };
}
