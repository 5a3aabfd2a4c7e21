import { OperationRun } from '../../operations/core/operation-run';
import { OperationTypeDefinition } from '../../operations/core/operation-type';
import { readCancellation } from '../../operations/core/run-cancellation';
import { presentRun, Tone } from '../../operations/core/run-presenter';
import { routes } from '../../../shared/core/routes';

/** A notification about to be stored: who gets it, about which run, and what it says. */
export interface NotificationDraft {
  userId: string;
  runId: string;
  workspaceId: string;
  environmentId: string | null;
  title: string;
  body: string;
  tone: Tone;
}

export interface NotificationFacts {
  /** The run type's catalog entry; null when the catalog no longer knows the type. */
  definition: OperationTypeDefinition | null;
  /** Display name of the run's environment; null for workspace-level runs (or an unknown one). */
  environmentName: string | null;
  now: Date;
}

export const CANCELLED_BY_OTHER = 'Another member of the workspace cancelled it.';

/** The canonical page of a run: every notification links there. */
export function runLink(runId: string): string {
  return routes.run(runId);
}

/**
 * SPEC 7: a run that reached a terminal state notifies its initiator, and only them. Queued and
 * running runs notify nobody; system runs (no initiator) notify nobody. The words are the
 * presenter's (outcome badge and headline), never raw error text.
 */
export function notificationForCompletedRun(run: OperationRun, facts: NotificationFacts): NotificationDraft | null {
  if (run.status !== 'completed' || run.outcome === 'pending') return null;
  if (!run.initiatorUserId) return null;
  const cancellation = run.outcome === 'cancelled' ? readCancellation(run) : null;
  // Cancelling one's own run needs no news; someone else cancelling it does (issue 17).
  if (cancellation && cancellation.requested_by === run.initiatorUserId) return null;
  const presentation = presentRun(run, facts.definition, facts.now);
  const outcome = presentation.badges.find((b) => b.kind === 'outcome');
  const label = facts.definition?.label ?? run.type;
  const where = facts.environmentName ? ` on ${facts.environmentName}` : '';
  const verb = (outcome?.label ?? 'Completed').toLowerCase();
  return {
    userId: run.initiatorUserId,
    runId: run.id,
    workspaceId: run.workspaceId,
    environmentId: run.environmentId,
    title: `${label}${where} ${verb}.`,
    body: cancellation ? `${presentation.headline} ${CANCELLED_BY_OTHER}` : presentation.headline,
    tone: outcome?.tone ?? 'neutral',
  };
}
