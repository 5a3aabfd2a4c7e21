import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { DemoScope, seedDemoScope } from '../support/seed';
import { SLOW_STEPS_TYPE, WORKER_PROCESS_IMPORTS, WORKER_PROCESS_TYPES } from '../support/slow-handlers';
import { killAllWorkers, spawnWorker, WorkerProcess } from '../support/spawn-worker';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * A rolling deploy (issue 18, graceful drain): two worker processes share 20 runs of ≈ 6 s; each
 * is SIGTERMed in turn (SHUTDOWN_GRACE_S=1) and replaced. A worker that is told to stop takes no
 * new job, gives running handlers its grace, then hands back what is still running: the attempt is
 * closed as `handed_back`, the job goes back to the queue, another worker begins the next attempt.
 * Every run must end succeeded, each exactly once, none lost.
 */
jest.setTimeout(120_000);

const RUNS = 20;
const STEPS = 24; // × 250 ms ≈ 6 s per run
const GRACE = { SHUTDOWN_GRACE_S: '1' };

describe('graceful drain: two workers replaced one at a time, 20 runs in flight', () => {
  let t: TestApp;
  let scope: DemoScope;
  let service: OperationRunService;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], extraTypes: WORKER_PROCESS_TYPES, imports: WORKER_PROCESS_IMPORTS });
    scope = await seedDemoScope(t);
    service = t.get(OperationRunService);
  }, 60_000);
  afterAll(async () => {
    await killAllWorkers();
    await t?.close();
  });

  const start = async (): Promise<WorkerProcess> => {
    const worker = spawnWorker(t, GRACE);
    workers.push(worker);
    await worker.ready;
    return worker;
  };

  it('every run ends succeeded exactly once; the drained attempts say handed_back', async () => {
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: SLOW_STEPS_TYPE,
        input: { steps: STEPS, n: i },
        initiatorUserId: null,
      });
      ids.push(run.id);
    }
    const runs = () => Promise.all(ids.map((id) => service.findById(id) as Promise<OperationRun>));
    const [a, b] = await Promise.all([start(), start()]);
    await waitFor(runs, (all) => all.filter((r) => r.status === 'running').length >= 8, { timeoutMs: 30_000, what: 'both workers busy' });

    await a.terminate();
    await start();
    await b.terminate();
    await start();

    const done = await waitFor(runs, (all) => all.every((r) => r.status === 'completed'), {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: 'every run to end',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${workers.map((w) => w.output()).join('\n---\n')}`);
    });
    expect(done.map((r) => r.outcome)).toEqual(Array(RUNS).fill('succeeded'));
    expect(done.map((r) => Number(r.summaryCounts.processed))).toEqual(Array(RUNS).fill(STEPS));
    // Exactly one terminal transition per run, and no lost writer left behind.
    const completions = await t.db.query<{ subject_id: string; n: string }>(
      `select subject_id, count(*) as n from audit_events where action = 'operation.completed' and subject_id = any($1::text[]) group by subject_id`,
      [ids],
    );
    expect(completions.map((c) => Number(c.n))).toEqual(Array(RUNS).fill(1));
    expect(done.filter((r) => r.context.diagnostics?.lost_transitions)).toEqual([]);
    // The drains happened: attempts closed as handed_back, each followed by a later attempt.
    const handedBack = done.filter((r) => (r.context.attempts ?? []).some((x) => x.error_code === 'handed_back'));
    expect(handedBack.length).toBeGreaterThan(0);
    for (const r of handedBack) {
      const attempts = r.context.attempts ?? [];
      expect(attempts[attempts.length - 1]).toMatchObject({ error_code: null, ended_at: expect.any(String) });
      expect(r.attempts).toBe(attempts.length);
    }
  });
});
