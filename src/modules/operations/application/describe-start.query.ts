import { AccessContext } from '../../rbac/core/access-context';
import { GetRun } from './get-run.query';

export interface StartFlash {
  tone: 'success' | 'info';
  message: string;
  runUrl: string;
}

/**
 * "Baseline compare queued — View run" / "Already queued — View run". The run is read through
 * the same scoped lookup as its page, so a forged `started` id announces nothing.
 */
export async function describeStart(
  getRun: GetRun,
  caller: AccessContext,
  started: unknown,
  created: unknown,
): Promise<StartFlash | null> {
  if (typeof started !== 'string' || started.length === 0) return null;
  const run = await getRun.execute(caller, started).catch(() => null);
  if (!run) return null;
  if (created === '1') return { tone: 'success', message: `${run.type_label} queued`, runUrl: run.presentation.links.self };
  const state = run.status === 'running' ? 'Already running' : run.status === 'queued' ? 'Already queued' : 'Already started';
  return { tone: 'info', message: state, runUrl: run.presentation.links.self };
}
