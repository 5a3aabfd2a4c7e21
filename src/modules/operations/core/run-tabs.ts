import { deriveFreshness } from './freshness';
import { ACTIVE_STATUSES, OperationRun } from './operation-run';
import { OperationTypeDefinition } from './operation-type';
import { deriveProblemClass } from './problem-class';

/**
 * Operations hub tabs (SPEC 6). `all` and `active` are plain status views; the other three are
 * exactly the problem classes, so a tab never disagrees with the badge on the run it lists.
 */
export const RUN_TABS = ['all', 'active', 'active_stale_attention', 'terminal_follow_up', 'reconciled'] as const;
export type RunTab = (typeof RUN_TABS)[number];
export type RunTabCounts = Record<RunTab, number>;

export function isRunTab(value: unknown): value is RunTab {
  return typeof value === 'string' && (RUN_TABS as readonly string[]).includes(value);
}

/** Every tab the run appears in, derived with the same pure rules as its presentation. */
export function tabsOfRun(run: OperationRun, definition: OperationTypeDefinition | null, now: Date): RunTab[] {
  const tabs: RunTab[] = ['all'];
  if (ACTIVE_STATUSES.includes(run.status)) tabs.push('active');
  const problem = deriveProblemClass(run, deriveFreshness(run, definition?.policy ?? null, now));
  if (problem !== 'none') tabs.push(problem);
  return tabs;
}

export function emptyTabCounts(): RunTabCounts {
  return { all: 0, active: 0, active_stale_attention: 0, terminal_follow_up: 0, reconciled: 0 };
}
