import { ChildRecord } from '../child-results';

export const RUN_CHILDREN = Symbol('RUN_CHILDREN');

export interface RecordedChild extends ChildRecord {
  /** Ascending in the order the bulk run acted; the children list pages on it. */
  position: number;
}

/** What bulk runs did to other runs, in order. Never writes runs themselves. */
export interface RunChildren {
  /** Appends in one write, in the given order. */
  record(parentRunId: string, children: readonly ChildRecord[], at: Date): Promise<void>;
  /** Everything recorded for this bulk run (an attempt that resumes does not act twice). */
  recorded(parentRunId: string): Promise<RecordedChild[]>;
  /** How many children each of these bulk runs recorded (reconciliation's evidence, one read). */
  countByParents(parentRunIds: string[]): Promise<Map<string, number>>;
  /**
   * A page of the children that name a run the reader may see (runs of `environmentIds`, or all
   * when `allEnvironments`), after `afterPosition`.
   */
  page(
    parentRunId: string,
    scope: { allEnvironments: boolean; environmentIds: string[] },
    afterPosition: number | null,
    limit: number,
  ): Promise<RecordedChild[]>;
}
