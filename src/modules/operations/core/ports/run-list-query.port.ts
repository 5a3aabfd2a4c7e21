import { OperationRun, RunOutcome, RunStatus } from '../operation-run';
import { ProblemClass } from '../problem-class';
import { RunCursor } from '../run-cursor';
import { RunTab, RunTabCounts } from '../run-tabs';

export const RUN_LIST_QUERY = Symbol('RUN_LIST_QUERY');

export interface RunListFilter {
  workspaceId: string;
  /**
   * What the reader may see, applied in the query itself: all environments (workspace-level runs
   * included) or only the listed ones (workspace-level runs excluded).
   */
  scope: { allEnvironments: boolean; environmentIds: string[] };
  tab: RunTab;
  environmentId?: string;
  /**
   * Runs of these environments are left out (the archived ones, when a view asks for active work
   * only); workspace-level runs (no environment) stay.
   */
  excludeEnvironmentIds?: string[];
  /** Stored type names to match: a canonical type and its legacy aliases. */
  types?: string[];
  status?: RunStatus;
  outcome?: RunOutcome;
  /** Runs of this problem class (SPEC 2.4), combinable with the tab and every other filter. */
  problemClass?: ProblemClass;
  /** Runs started by this user (null initiator = system runs never match). */
  initiatorUserId?: string;
  /** Created at or after this instant. */
  createdFrom?: Date;
  /** Created strictly before this instant (an exclusive end keeps whole days simple). */
  createdBefore?: Date;
  limit: number;
  cursor?: RunCursor | null;
  /** The app clock's "now": the stale rules are judged against it, never the database's clock. */
  now: Date;
}

/** A run's environment as the list read it with the run (the reader may see it: the run is in scope). */
export interface RunEnvironmentName {
  id: string;
  slug: string;
  name: string;
}

/** One listed run with its environment, so nothing downstream looks the environment up again. */
export interface ListedRun {
  run: OperationRun;
  environment: RunEnvironmentName | null;
}

export interface RunListPage {
  items: ListedRun[];
  nextCursor: RunCursor | null;
  /** Per tab, under the same scope and filters (tab and cursor aside). */
  counts: RunTabCounts;
}

/** The figures an environment's health card shows, each equal to the hub count its link opens. */
export interface EnvironmentRunFigures {
  /** Queued or running (the hub's `active` tab). */
  active: number;
  /** Active and likely stale (the `active_stale_attention` tab). */
  activeStale: number;
  /** Completed as failed, created at or after `failedFrom` (`outcome=failed&from=…`). */
  failedSince: number;
}

export interface EnvironmentFiguresFilter {
  workspaceId: string;
  /** Environments the reader may see; figures are read for these only. */
  environmentIds: string[];
  failedFrom: Date;
  now: Date;
}

/** Which runs of a view a bulk action acts on: the active ones (cancel), or the retryable ones not yet retried (retry). */
export type RunTargetSelection = 'active' | 'retryable';

export interface RunTargetFilter extends Omit<RunListFilter, 'limit' | 'cursor'> {
  select: RunTargetSelection;
  /** The bulk run itself, which is active while it works and must never act on itself. */
  excludeRunId?: string;
  /** At most this many ids (the newest first). */
  max: number;
}

/** Newest-first keyset pages of runs with authorized tab counts, read in one snapshot. */
export interface RunListQuery {
  list(filter: RunListFilter): Promise<RunListPage>;
  /** Per environment (absent: all zero), in one grouped read. */
  figuresByEnvironment(filter: EnvironmentFiguresFilter): Promise<Map<string, EnvironmentRunFigures>>;
  /** One run with its environment, whoever may see it (the caller authorizes). */
  findOne(id: string): Promise<ListedRun | null>;
  /** These runs with their environments, in the order of `ids` (unknown ids are absent; the caller authorizes). */
  findMany(ids: string[]): Promise<ListedRun[]>;
  /** Ids of the runs a bulk action over this view would act on, newest first, in one read. */
  targetIds(filter: RunTargetFilter): Promise<string[]>;
}
