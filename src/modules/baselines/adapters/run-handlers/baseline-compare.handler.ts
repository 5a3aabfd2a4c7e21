import { Inject, Injectable } from '@nestjs/common';
import { RegisterRunHandler } from '../../../operations/adapters/queue/register-run-handler.decorator';
import { OperationRun } from '../../../operations/core/operation-run';
import { HandlerResult, RunExecution, RunHandler, StartScope } from '../../../operations/core/ports/run-handler.port';
import { BaselineCompare, COMPARE_BATCH_SIZE } from '../../core/baseline-compare';
import { BaselineErrors } from '../../core/baselines-errors';
import { BaselineRules } from '../../core/baseline-rules';
import { BASELINE_COMPARE_REPOSITORY, BaselineCompareRepository } from '../../core/ports/baseline-compare.repository.port';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../../core/ports/baseline-profile.repository.port';
import { BASELINE_SNAPSHOT_REPOSITORY, BaselineSnapshotRepository } from '../../core/ports/baseline-snapshot.repository.port';
import { CURRENT_INVENTORY, CurrentInventory } from '../../core/ports/current-inventory.port';
import { BASELINE_RULES } from '../../baselines.tokens';
import { BASELINE_COMPARE_RESULT_LINK } from './baseline-artifact-links';
import { baselineSourceOf, parseBaselineInput, profileForStart } from './baseline-input';
import { BASELINE_COMPARE_START_FORM } from './baseline-start-forms';

/** `baseline.compare`: the run's environment is the target; BaselineCompare does the work. */
@Injectable()
@RegisterRunHandler()
export class BaselineCompareHandler implements RunHandler {
  readonly type = 'baseline.compare';
  readonly startForm = BASELINE_COMPARE_START_FORM;
  readonly relatedArtifacts = [BASELINE_COMPARE_RESULT_LINK];
  private readonly compare: BaselineCompare;

  constructor(
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BASELINE_SNAPSHOT_REPOSITORY) private readonly snapshots: BaselineSnapshotRepository,
    @Inject(BASELINE_COMPARE_REPOSITORY) private readonly results: BaselineCompareRepository,
    @Inject(CURRENT_INVENTORY) inventory: CurrentInventory,
    @Inject(BASELINE_RULES) rules: BaselineRules,
  ) {
    this.compare = new BaselineCompare(profiles, snapshots, results, inventory, rules, COMPARE_BATCH_SIZE);
  }

  parseInput(raw: unknown): Record<string, unknown> {
    return parseBaselineInput(this.type, raw);
  }

  /** Dedupe per (profile, target, snapshot): a new snapshot makes a new compare worth running. */
  async prepareStart(inputs: Record<string, unknown>, scope: StartScope): Promise<{ fingerprintBasis: unknown }> {
    const profile = await profileForStart(this.profiles, inputs, scope);
    if (!scope.environmentId) {
      throw BaselineErrors.compareTargetRequired();
    }
    const snapshot = await this.snapshots.latestComplete(profile.id);
    if (!snapshot) throw BaselineErrors.noCompleteSnapshot(profile.name);
    return { fingerprintBasis: { profile: profile.id, target: scope.environmentId, snapshot: snapshot.id } };
  }

  readsEnvironments(inputs: Record<string, unknown>, run: OperationRun): Promise<string[]> {
    return baselineSourceOf(this.profiles, inputs, run);
  }

  handle({ run, inputs, signal, progress }: RunExecution): Promise<HandlerResult> {
    if (!run.environmentId) {
      throw BaselineErrors.compareTargetRequired();
    }
    return this.compare.run({
      workspaceId: run.workspaceId,
      baselineId: String(inputs.baseline_id),
      targetEnvironmentId: run.environmentId,
      runId: run.id,
      signal,
      progress,
    });
  }

  /** A cancelled compare's result is marked incomplete (unusable), so no page reads it as whole. */
  async onCancelled(run: OperationRun): Promise<void> {
    const result = await this.results.findByRun(run.id);
    if (result?.status === 'in_progress') await this.results.markUnusable(result.id);
  }
}
