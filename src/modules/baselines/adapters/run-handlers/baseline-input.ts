import { OperationRun } from '../../../operations/core/operation-run';
import { StartScope } from '../../../operations/core/ports/run-handler.port';
import { BaselineErrors } from '../../core/baselines-errors';
import { BaselineProfile, BaselineProfileRepository } from '../../core/ports/baseline-profile.repository.port';
import { isRecord } from '../../../../shared/core/json-guards';

/** `{ baseline_id }` and nothing else: the start input of baseline.capture and baseline.compare. */
export function parseBaselineInput(type: string, raw: unknown): { baseline_id: string } {
  if (!isRecord(raw)) {
    throw BaselineErrors.invalidRunInput(type);
  }
  const record = raw as Record<string, unknown>;
  const unexpected = Object.keys(record).find((key) => key !== 'baseline_id');
  if (unexpected !== undefined) {
    throw BaselineErrors.unexpectedRunInputField(type, unexpected);
  }
  const id = record.baseline_id;
  if (typeof id !== 'string' || id.trim() === '') {
    throw BaselineErrors.baselineIdMissing(type);
  }
  return { baseline_id: id.trim() };
}

/**
 * The profile a start input names. A profile whose source environment the starter cannot see
 * answers exactly like an unknown id (same error, same message), so the input is no oracle.
 */
export async function profileForStart(
  profiles: BaselineProfileRepository,
  inputs: Record<string, unknown>,
  scope: StartScope,
): Promise<BaselineProfile> {
  const id = String(inputs.baseline_id);
  const profile = await profiles.findInWorkspace(scope.workspaceId, id);
  if (!profile || (scope.sees && !scope.sees(profile.sourceEnvironmentId))) throw BaselineErrors.profileNotFound(id);
  return profile;
}

/** A baseline run reads its profile's source environment (nothing more when the profile is gone). */
export async function baselineSourceOf(
  profiles: BaselineProfileRepository,
  inputs: Record<string, unknown>,
  run: OperationRun,
): Promise<string[]> {
  const profile = await profiles.findInWorkspace(run.workspaceId, String(inputs.baseline_id));
  return profile ? [profile.sourceEnvironmentId] : [];
}
