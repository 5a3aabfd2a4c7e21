import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { ArchivedChoice } from '../core/archived-environments';
import { OperationCatalog } from '../core/operation-catalog';
import { RunOutcome, RunStatus } from '../core/operation-run';
import { RunListFilter } from '../core/ports/run-list-query.port';
import { ProblemClass } from '../core/problem-class';
import { RunTab } from '../core/run-tabs';
import { dayRange } from './day-range';

/** The hub's filters as its readers write them (slugs, type names, days), already shape-checked. */
export interface RunFilterParams {
  tab?: RunTab;
  environment?: string;
  /** `exclude`: leave out the runs of archived environments (active work only). */
  archived?: ArchivedChoice;
  type?: string;
  status?: RunStatus;
  outcome?: RunOutcome;
  problem_class?: ProblemClass;
  initiator?: string;
  from?: string;
  to?: string;
}

export type ResolvedRunFilter = Omit<RunListFilter, 'limit' | 'cursor' | 'now'>;

/**
 * The hub's filters resolved inside the caller's scope: an unknown or hidden environment is the
 * same 404, an unknown type a 400, days a half-open range. The hub and every bulk action read
 * runs through this one translation, so "the runs of this view" means the same set everywhere.
 */
export async function resolveRunFilter(
  access: AccessControl,
  catalog: OperationCatalog,
  ws: WorkspaceAccess,
  filter: RunFilterParams,
): Promise<ResolvedRunFilter> {
  const environment = filter.environment ? await access.environment(ws, filter.environment) : null;
  const definition = filter.type ? catalog.require(filter.type) : null;
  const { createdFrom, createdBefore } = dayRange(filter.from, filter.to);
  // Only environments the caller may see: scope already hides the rest, so this never reveals one.
  const excluded = filter.archived === 'exclude' ? (await access.environmentsOf(ws)).filter((e) => e.archived).map((e) => e.id) : [];
  return {
    workspaceId: ws.workspace.id,
    scope: ws.scope,
    tab: filter.tab ?? 'all',
    environmentId: environment?.id,
    excludeEnvironmentIds: excluded.length ? excluded : undefined,
    types: definition ? [definition.type, ...definition.aliases] : undefined,
    status: filter.status,
    outcome: filter.outcome,
    problemClass: filter.problem_class,
    initiatorUserId: filter.initiator?.toLowerCase(),
    createdFrom,
    createdBefore,
  };
}
