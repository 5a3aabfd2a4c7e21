import { thrown } from '../../../../test/support/domain-errors';
import { RunLifecycleObserver } from './ports/run-lifecycle-observer.port';
import { RunObserverRegistry } from './run-observer-registry';

const observer = (): RunLifecycleObserver => ({ onCompleted: () => undefined });

describe('RunObserverRegistry', () => {
  it('fills the list handed out before registration, in place', () => {
    const registry = new RunObserverRegistry();
    const handedOut = registry.observers;
    const metrics = observer();
    const batches: RunLifecycleObserver = { onCompletedMany: () => undefined };
    registry.registerAll([
      { name: 'Metrics', observer: metrics },
      { name: 'Batches', observer: batches },
    ]);
    expect(handedOut).toEqual([metrics, batches]);
  });

  it('fails fast when one observer is registered twice', () => {
    const registry = new RunObserverRegistry();
    const metrics = observer();
    const error = thrown(() =>
      registry.registerAll([
        { name: 'Metrics', observer: metrics },
        { name: 'Metrics', observer: metrics },
      ]),
    );
    expect(error.code).toBe('invalid_run_observers');
    expect(error.message).toContain('Metrics: registered twice');
    expect(registry.observers).toEqual([]);
  });

  it('fails fast on an observer that hears nothing', () => {
    const registry = new RunObserverRegistry();
    const error = thrown(() => registry.registerAll([{ name: 'Deaf', observer: {} }]));
    expect(error.message).toContain('Deaf: implements neither onCompleted nor onCompletedMany');
  });

  it('fails when registered again with an observer it already holds', () => {
    const registry = new RunObserverRegistry();
    const metrics = observer();
    registry.registerAll([{ name: 'Metrics', observer: metrics }]);
    expect(thrown(() => registry.registerAll([{ name: 'Metrics', observer: metrics }])).message).toContain('registered twice');
  });
});
