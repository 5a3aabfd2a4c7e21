import { Inject, Injectable } from '@nestjs/common';
import { RegisterRunHandler } from '../../../operations/adapters/queue/register-run-handler.decorator';
import { OperationRun } from '../../../operations/core/operation-run';
import { HandlerResult, RunExecution, RunHandler, StartScope } from '../../../operations/core/ports/run-handler.port';
import { BaselineErrors } from '../../core/baselines-errors';
import { BaselineCapture } from '../../core/baseline-capture';
import { BaselineRules } from '../../core/baseline-rules';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../../core/ports/baseline-profile.repository.port';
import { BASELINE_SNAPSHOT_REPOSITORY, BaselineSnapshotRepository } from '../../core/ports/baseline-snapshot.repository.port';
import { CURRENT_INVENTORY, CurrentInventory } from '../../core/ports/current-inventory.port';
import { BASELINE_RULES } from '../../baselines.tokens';
import { BASELINE_SNAPSHOT_LINK } from './baseline-artifact-links';
import { baselineSourceOf, parseBaselineInput, profileForStart } from './baseline-input';
import { BASELINE_CAPTURE_START_FORM } from './baseline-start-forms';

/** `baseline.capture`: orchestration only — validate the start, then let BaselineCapture work. */
@Injectable()
@RegisterRunHandler()
export class BaselineCaptureHandler implements RunHandler {
  readonly type = 'baseline.capture';
  readonly startForm = BASELINE_CAPTURE_START_FORM;
  readonly relatedArtifacts = [BASELINE_SNAPSHOT_LINK];
  private readonly capture: BaselineCapture;

  constructor(
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BASELINE_SNAPSHOT_REPOSITORY) private readonly snapshots: BaselineSnapshotRepository,
    @Inject(CURRENT_INVENTORY) inventory: CurrentInventory,
    @Inject(BASELINE_RULES) rules: BaselineRules,
  ) {
    this.capture = new BaselineCapture(profiles, snapshots, inventory, rules);
  }

  parseInput(raw: unknown): Record<string, unknown> {
    return parseBaselineInput(this.type, raw);
  }

  /** The profile must exist here and the run must target its source; dedupe per profile. */
  async prepareStart(inputs: Record<string, unknown>, scope: StartScope): Promise<{ fingerprintBasis: unknown }> {
    const profile = await profileForStart(this.profiles, inputs, scope);
    if (scope.environmentId !== profile.sourceEnvironmentId) {
      throw BaselineErrors.captureOutsideSource(profile.name);
    }
    return { fingerprintBasis: { profile: profile.id } };
  }

  readsEnvironments(inputs: Record<string, unknown>, run: OperationRun): Promise<string[]> {
    return baselineSourceOf(this.profiles, inputs, run);
  }

  handle({ run, inputs, signal, progress }: RunExecution): Promise<HandlerResult> {
    return this.capture.run({
      workspaceId: run.workspaceId,
      baselineId: String(inputs.baseline_id),
      runId: run.id,
      signal,
      progress,
    });
  }

  /** A cancelled capture leaves no snapshot to compare against: a partial one becomes unusable. */
  async onCancelled(run: OperationRun): Promise<void> {
    const snapshot = await this.snapshots.findByRun(run.id);
    if (snapshot?.status === 'capturing') await this.snapshots.markUnusable(snapshot.id);
  }
}
