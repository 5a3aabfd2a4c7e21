import { OperationRun } from '../../../operations/core/operation-run';

export const STALE_RUN_SOURCE = Symbol('STALE_RUN_SOURCE');

import { StaleWindow } from '../../../operations/core/stale-windows';

export type { StaleWindow };

export interface SweepCursor {
  createdAt: Date;
  id: string;
}

export interface StaleRunSource {
  /**
   * Active runs strictly past their window at `now` (queued: since creation; running: since the
   * last heartbeat, else the start), oldest first, after `cursor` (keyset on created_at, id).
   */
  findStale(now: Date, windows: StaleWindow[], cursor: SweepCursor | null, limit: number): Promise<OperationRun[]>;

  /** Runs `work` holding the cluster-wide sweep lock; `acquired: false` when another sweep has it. */
  withSweepLock<T>(work: () => Promise<T>): Promise<{ acquired: true; result: T } | { acquired: false }>;
}
