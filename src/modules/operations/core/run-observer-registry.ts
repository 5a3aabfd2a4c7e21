import { OperationErrors } from './operations-errors';
import { RunLifecycleObserver } from './ports/run-lifecycle-observer.port';

/**
 * The run observers (metrics, notifications, …) their modules registered, checked at boot: an
 * observer that hears nothing or is registered twice is a wiring mistake, not a quiet no-op.
 */
export class RunObserverRegistry {
  /** Filled in place at boot, so a service built before discovery sees every observer. */
  readonly observers: RunLifecycleObserver[] = [];

  registerAll(observers: { name: string; observer: RunLifecycleObserver }[]): void {
    const problems: string[] = [];
    const seen = new Set<RunLifecycleObserver>();
    const accepted: RunLifecycleObserver[] = [];
    for (const { name, observer } of observers) {
      if (seen.has(observer) || this.observers.includes(observer)) problems.push(`${name}: registered twice`);
      else if (typeof observer.onCompleted !== 'function' && typeof observer.onCompletedMany !== 'function') {
        problems.push(`${name}: implements neither onCompleted nor onCompletedMany`);
      }
      seen.add(observer);
      accepted.push(observer);
    }
    if (problems.length) {
      throw OperationErrors.invalidRunObservers(problems);
    }
    this.observers.push(...accepted);
  }
}
