import { BaselineErrors } from './baselines-errors';
import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { ProgressReporter } from '../../operations/core/ports/progress-reporter.port';
import { BaselineRules } from './baseline-rules';
import { normalizedItemHash, normalizeSettings } from './normalization';
import { BaselineProfileRepository } from './ports/baseline-profile.repository.port';
import { BaselineSnapshotRepository, SnapshotItem } from './ports/baseline-snapshot.repository.port';
import { CurrentInventory } from './ports/current-inventory.port';
import { throwIfAborted } from './abort';
import { inventoryReadiness } from './inventory-readiness';

/** Rows per multi-row INSERT (6 parameters each, far below PostgreSQL's 65535). */
export const SNAPSHOT_INSERT_BATCH_SIZE = 500;

export interface BaselineCaptureParams {
  workspaceId: string;
  baselineId: string;
  runId: string;
  signal: AbortSignal;
  progress: ProgressReporter;
}

/**
 * `baseline.capture`: snapshots the source environment's normalized inventory. The snapshot row
 * is created (or, on a retried attempt, found) for the run as `capturing`, filled, then marked
 * complete in one guarded update; a complete snapshot is never written again.
 */
export class BaselineCapture {
  constructor(
    private readonly profiles: BaselineProfileRepository,
    private readonly snapshots: BaselineSnapshotRepository,
    private readonly inventory: CurrentInventory,
    private readonly rules: BaselineRules,
  ) {}

  async run(params: BaselineCaptureParams): Promise<HandlerResult> {
    const { progress, signal } = params;
    await progress.phase('resolving_scope');
    const profile = await this.profiles.findInWorkspace(params.workspaceId, params.baselineId);
    if (!profile) throw BaselineErrors.profileNotFound(params.baselineId);
    const readiness = await inventoryReadiness(this.inventory, profile.sourceEnvironmentId);
    if (!readiness.ready) return readiness.result;
    const snapshot = await this.snapshots.startForRun(profile.id, params.runId);
    const related = { type: 'baseline_snapshot', id: snapshot.id };
    if (snapshot.status === 'complete') {
      // An earlier attempt finished the snapshot but not the run: the snapshot is the result.
      return { outcome: 'succeeded', related, summaryCounts: { total: snapshot.itemCount, processed: snapshot.itemCount } };
    }
    if (snapshot.status === 'unusable') {
      throw BaselineErrors.snapshotAlreadyUnusable();
    }

    throwIfAborted(signal);
    await progress.phase('capturing_evidence');
    const records = await this.inventory.list(profile.sourceEnvironmentId, profile.policyKinds);

    throwIfAborted(signal);
    await progress.phase('normalizing');
    const items: SnapshotItem[] = records.map((record) => {
      const normalized = normalizeSettings(record.settings, record.kind, this.rules);
      return {
        kind: record.kind,
        external_id: record.external_id,
        display_name: record.display_name,
        normalized,
        hash: normalizedItemHash({ kind: record.kind, display_name: record.display_name, normalized }),
      };
    });

    await progress.phase('finalizing');
    for (let start = 0; start < items.length; start += SNAPSHOT_INSERT_BATCH_SIZE) {
      throwIfAborted(signal);
      await this.snapshots.insertItems(snapshot.id, items.slice(start, start + SNAPSHOT_INSERT_BATCH_SIZE));
    }
    const completed = await this.snapshots.markComplete(snapshot.id);
    if (!completed) {
      throw BaselineErrors.snapshotClosedElsewhere();
    }
    return {
      outcome: 'succeeded',
      related,
      summaryCounts: { total: records.length, processed: completed.itemCount },
    };
  }
}

