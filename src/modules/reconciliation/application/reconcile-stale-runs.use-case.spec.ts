import { LifecycleReconciler, SweepSummary } from '../core/lifecycle-reconciler';
import { ReconcileStaleRuns } from './reconcile-stale-runs.use-case';

/** A reconciler whose sweeps finish when the test says so. */
function gatedReconciler() {
  const calls: { dryRun: boolean; finish: (s: SweepSummary) => void }[] = [];
  const reconciler = {
    sweep: ({ dryRun = false }: { dryRun?: boolean } = {}) =>
      new Promise<SweepSummary>((finish) => calls.push({ dryRun, finish })),
  } as unknown as LifecycleReconciler;
  return { reconciler, calls };
}

const summary = (n: number) => ({ reconciled: n }) as unknown as SweepSummary;

describe('ReconcileStaleRuns', () => {
  it('a sweep asked for while one runs joins it; the next one after it finishes runs anew', async () => {
    const { reconciler, calls } = gatedReconciler();
    const useCase = new ReconcileStaleRuns(reconciler);
    const a = useCase.execute();
    const b = useCase.execute();
    expect(calls).toHaveLength(1);
    calls[0].finish(summary(3));
    await expect(a).resolves.toEqual(summary(3));
    await expect(b).resolves.toEqual(summary(3));
    const c = useCase.execute();
    expect(calls).toHaveLength(2);
    calls[1].finish(summary(0));
    await expect(c).resolves.toEqual(summary(0));
  });

  it('a dry run and a real sweep never stand in for each other', async () => {
    const { reconciler, calls } = gatedReconciler();
    const useCase = new ReconcileStaleRuns(reconciler);
    const real = useCase.execute();
    const dry = useCase.execute({ dryRun: true });
    expect(calls.map((c) => c.dryRun)).toEqual([false, true]);
    calls[1].finish(summary(0));
    calls[0].finish(summary(2));
    await expect(dry).resolves.toEqual(summary(0));
    await expect(real).resolves.toEqual(summary(2));
  });

  it('a failed sweep is not kept: the next call sweeps again', async () => {
    let n = 0;
    const reconciler = { sweep: () => (++n === 1 ? Promise.reject(new Error('db down')) : Promise.resolve(summary(1))) } as unknown as LifecycleReconciler;
    const useCase = new ReconcileStaleRuns(reconciler);
    await expect(useCase.execute()).rejects.toThrow('db down');
    await expect(useCase.execute()).resolves.toEqual(summary(1));
  });
});
