import { DomainError } from '../../../shared/core/domain-error';
import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { ProgressReporter } from '../../operations/core/ports/progress-reporter.port';
import { throwIfAborted } from './abort';
import { baselineNotFound } from './baseline-capture';
import { BaselineRules } from './baseline-rules';
import { ComparableItem, findingForPair, matchItems } from './drift';
import { normalizeSettings } from './normalization';
import { BaselineCompareRepository, KeyedFinding } from './ports/baseline-compare.repository.port';
import { BaselineProfile, BaselineProfileRepository } from './ports/baseline-profile.repository.port';
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

export function noCompleteSnapshot(profile: BaselineProfile): DomainError {
  return new DomainError('invalid_input', `Baseline "${profile.name}" has no complete snapshot yet; capture it first.`);
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
    if (!profile) throw baselineNotFound(params.baselineId);
    const earlier = await this.results.findByRun(params.runId);
    const snapshotId = earlier?.snapshotId ?? (await this.snapshots.latestComplete(profile.id))?.id;
    if (!snapshotId) throw noCompleteSnapshot(profile);
    const result =
      earlier ??
      (await this.results.startForRun({
        profileId: profile.id,
        snapshotId,
        targetEnvironmentId: params.targetEnvironmentId,
        runId: params.runId,
      }));
    if (result.status === 'complete') return succeeded(result.id, result.totalPairs ?? 0, result.findingsCount);
    if (result.status === 'unusable') {
      throw new DomainError('compare_unusable', 'This compare was already marked unusable; start a new compare.');
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
      throw new DomainError('compare_unusable', 'The compare was closed by someone else before it was complete.');
    }
    return succeeded(completed.id, pairs.length, completed.findingsCount);
  }
}

function succeeded(id: string, pairs: number, findings: number): HandlerResult {
  return {
    outcome: 'succeeded',
    related: { type: 'baseline_compare_result', id },
    summaryCounts: { total: pairs, processed: pairs, findings },
  };
}
