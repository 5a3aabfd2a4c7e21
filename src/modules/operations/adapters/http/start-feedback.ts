import { AccessContext } from '../../../rbac/core/access-context';
import { GetRun } from '../../application/get-run.query';

export interface StartFlash {
  tone: 'success' | 'info';
  message: string;
  runUrl: string;
}

/** The page a start form returns to, told which run to announce. */
export function withStartFeedback(path: string, runId: string, created: boolean): string {
  const [base, query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  params.delete('started');
  params.delete('created');
  params.set('started', runId);
  params.set('created', created ? '1' : '0');
  return `${base}?${params.toString()}`;
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
