import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { ProgressReporter } from '../../operations/core/ports/progress-reporter.port';
import { throwIfAborted } from './abort';
import { inventoryReadiness } from './inventory-readiness';
import { BaselineErrors } from './baselines-errors';
import { BaselineRules } from './baseline-rules';
import { ComparableItem, findingForPair, matchItems } from './drift';
import { normalizeSettings } from './normalization';
import { RelatedRef } from '../../operations/core/operation-run';
import { BaselineCompareRepository, CompareResult, KeyedFinding } from './ports/baseline-compare.repository.port';
import { BaselineProfileRepository } from './ports/baseline-profile.repository.port';
import { BaselineSnapshotRepository } from './ports/baseline-snapshot.repository.port';
import { CurrentInventory } from './ports/current-inventory.port';

/** Pairs per recorded batch: findings and checkpoint of one batch are written together. */
export const COMPARE_BATCH_SIZE = 200;

export interface BaselineCompareParams {
  workspaceId: string;
  baselineId: string;
  targetEnvironmentId: string;
  runId: string;
  signal: AbortSignal;
  progress: ProgressReporter;
}

/**
 * `baseline.compare`: drift between a target's current inventory and the profile's latest
 * complete snapshot. Resumable: the result row belongs to the run, and a retried attempt keeps
 * its snapshot and continues recording from the checkpoint (pairs already processed). Pair order
 * is deterministic, and findings are unique per pair key, so a batch recorded twice adds nothing.
 */
export class BaselineCompare {
  constructor(
    private readonly profiles: BaselineProfileRepository,
    private readonly snapshots: BaselineSnapshotRepository,
    private readonly results: BaselineCompareRepository,
    private readonly inventory: CurrentInventory,
    private readonly rules: BaselineRules,
    private readonly batchSize: number = COMPARE_BATCH_SIZE,
  ) {}

  async run(params: BaselineCompareParams): Promise<HandlerResult> {
    const { progress, signal } = params;
    await progress.phase('loading_snapshot');
    const profile = await this.profiles.findInWorkspace(params.workspaceId, params.baselineId);
    if (!profile) throw BaselineErrors.profileNotFound(params.baselineId);
    const earlier = await this.results.findByRun(params.runId);
    const snapshotId = earlier?.snapshotId ?? (await this.snapshots.latestComplete(profile.id))?.id;
    if (!snapshotId) throw BaselineErrors.noCompleteSnapshot(profile.name);
    let result = earlier;
    if (!result) {
      // A retried attempt keeps the inventory time its result recorded; a first one needs a sync.
      const readiness = await inventoryReadiness(this.inventory, params.targetEnvironmentId);
      if (!readiness.ready) return readiness.result;
      result = await this.results.startForRun({
        profileId: profile.id,
        snapshotId,
        targetEnvironmentId: params.targetEnvironmentId,
        runId: params.runId,
        inventorySyncedAt: readiness.syncedAt,
      });
    }
    if (result.status === 'complete') return succeeded(result, result.totalPairs ?? 0);
    if (result.status === 'unusable') {
      throw BaselineErrors.compareAlreadyUnusable();
    }
    const baseline: ComparableItem[] = (await this.snapshots.items(snapshotId)).map((item) => ({
      kind: item.kind,
      external_id: item.external_id,
      display_name: item.display_name,
      normalized: item.normalized,
    }));

    throwIfAborted(signal);
    await progress.phase('collecting_current_state');
    const records = await this.inventory.list(params.targetEnvironmentId, profile.policyKinds);
    const current: ComparableItem[] = records.map((record) => ({
      kind: record.kind,
      external_id: record.external_id,
      display_name: record.display_name,
      normalized: normalizeSettings(record.settings, record.kind, this.rules),
    }));

    throwIfAborted(signal);
    await progress.phase('comparing');
    const pairs = matchItems(baseline, current, this.rules);
    if (result.totalPairs !== pairs.length) await this.results.setTotalPairs(result.id, pairs.length);

    await progress.phase('recording_findings');
    for (let start = result.checkpoint; start < pairs.length; start += this.batchSize) {
      throwIfAborted(signal);
      const batch = pairs.slice(start, start + this.batchSize);
      const findings: KeyedFinding[] = [];
      for (const pair of batch) {
        const finding = findingForPair(pair, this.rules);
        if (finding) findings.push({ pairKey: pair.key, finding });
      }
      await this.results.recordBatch(result.id, findings, start + batch.length);
    }
    const completed = await this.results.markComplete(result.id);
    if (!completed) {
      throw BaselineErrors.compareClosedElsewhere();
    }
    return succeeded(completed, pairs.length);
  }
}

function succeeded(result: CompareResult, pairs: number): HandlerResult {
  return {
    outcome: 'succeeded',
    related: compareResultRef(result),
    summaryCounts: { total: pairs, processed: pairs, findings: result.findingsCount },
  };
}

/** The run's link to its result, with the inventory time the result used (the run page shows it). */
export function compareResultRef(result: CompareResult): RelatedRef {
  const ref: RelatedRef = { type: 'baseline_compare_result', id: result.id };
  if (result.inventorySyncedAt) ref.inventory_synced_at = result.inventorySyncedAt.toISOString();
  return ref;
}
