import { OperationRun } from '../operation-run';

export const RUN_LIFECYCLE_OBSERVERS = Symbol('RUN_LIFECYCLE_OBSERVERS');

/** Side effects of transitions (metrics now; audit and notifications later). Never writes runs. */
export interface RunLifecycleObserver {
  onCompleted?(run: OperationRun): void | Promise<void>;
  /** Many completions at once (reconciler batches); observers without it get one call per run. */
  onCompletedMany?(runs: OperationRun[]): void | Promise<void>;
}
