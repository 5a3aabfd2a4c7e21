import { DomainError } from '../../../../shared/core/domain-error';
import { FakeClock } from '../../../../../test/support/fakes/fake-clock';
import { FakeRunQueue } from '../../../../../test/support/fakes/fake-run-queue';
import { InMemoryOperationRunRepository } from '../../../../../test/support/fakes/in-memory-operation-run.repository';
import { at, buildDefinition } from '../../../../../test/support/run-builder';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRun } from '../../core/operation-run';
import { OperationRunService } from '../../core/operation-run.service';
import { RunHandlerRegistry } from '../../core/run-handler-registry';
import { TrackedProgressReporter } from './tracked-progress-reporter';

const catalog = new OperationCatalog([
  buildDefinition({
    type: 'baseline.capture',
    aliases: [],
    progress_mode: 'phased',
    phases: [
      { key: 'collect', label: 'Collecting' },
      { key: 'store', label: 'Storing' },
    ],
  }),
]);

/** Wall-clock milliseconds as the reporter sees them through Date.now(); only the test moves them. */
let wallMs = 0;
const WALL_START = Date.UTC(2025, 0, 15, 10, 0, 0);

async function setup() {
  const clock = new FakeClock();
  const repo = new InMemoryOperationRunRepository(clock);
  const handlers = new RunHandlerRegistry(catalog);
  handlers.registerAll([
    { type: 'baseline.capture', parseInput: () => ({}), handle: async () => ({ outcome: 'succeeded' as const }) },
  ]);
  const service = new OperationRunService(repo, new FakeRunQueue(), catalog, handlers, clock);
  const { run } = await service.dispatch({
    workspaceId: '00000000-0000-4000-8000-0000000000a1',
    environmentId: '00000000-0000-4000-8000-0000000000e1',
    type: 'baseline.capture',
    initiatorUserId: null,
  });
  clock.set(at(1));
  const started = (await service.beginAttempt(run.id)) as OperationRun;
  const writesBefore = repo.casLog.length;
  const reporter = new TrackedProgressReporter(started, service);
  return {
    clock,
    repo,
    service,
    reporter,
    started,
    /** Progress writes the reporter made (every one is a compareAndSet). */
    writes: () => repo.casLog.slice(writesBefore),
    stored: async () => (await repo.findById(run.id)) as OperationRun,
  };
}

beforeEach(() => {
  wallMs = WALL_START;
  jest.spyOn(Date, 'now').mockImplementation(() => wallMs);
});
afterEach(() => jest.restoreAllMocks());

describe('TrackedProgressReporter.counted', () => {
  it('writes the first count at once', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 1, total: 10 });
    expect(env.writes()).toHaveLength(1);
  });

  it('holds back counts within 500 ms of the last write', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    wallMs += 100;
    await env.reporter.counted(2, 10);
    wallMs += 399; // 499 ms after the write
    await env.reporter.counted(3, 10);
    expect(env.writes()).toHaveLength(1);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 1, total: 10 });
  });

  it('writes again once 500 ms have passed since the last write', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    wallMs += 500;
    await env.reporter.counted(5, 10);
    expect(env.writes()).toHaveLength(2);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 5, total: 10 });
  });

  it('measures the window from the last write, not from the last call', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10); // write at 0
    wallMs += 300;
    await env.reporter.counted(2, 10); // held
    wallMs += 300; // 600 ms after the write, 300 after the held call
    await env.reporter.counted(3, 10);
    expect(env.writes()).toHaveLength(2);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 3, total: 10 });
  });

  it('always writes the final count (processed = total) at once, even inside the window', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    wallMs += 10;
    await env.reporter.counted(10, 10);
    expect(env.writes()).toHaveLength(2);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 10, total: 10 });
  });

  it('keeps the run returned by each write, so later writes pass the attempts guard', async () => {
    const env = await setup();
    await env.reporter.counted(1, 4);
    wallMs += 1000;
    env.clock.set(at(9));
    await env.reporter.counted(2, 4);
    expect(env.writes().map((w) => w.applied)).toEqual([true, true]);
    expect(env.reporter.current()).toEqual(await env.stored());
    expect(env.reporter.current().lastHeartbeatAt).toEqual(at(9));
  });

  it('rejects invalid numbers on a write', async () => {
    const env = await setup();
    await expect(env.reporter.counted(-1, 10)).rejects.toThrow(DomainError);
    expect(env.writes()).toEqual([]);
  });
});

describe('TrackedProgressReporter.flush', () => {
  it('writes the last held count', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    for (const n of [2, 3, 4]) {
      wallMs += 50;
      await env.reporter.counted(n, 10);
    }
    await env.reporter.flush();
    expect(env.writes()).toHaveLength(2);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 4, total: 10 });
  });

  it('writes the held count only once', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    await env.reporter.counted(2, 10);
    await env.reporter.flush();
    await env.reporter.flush();
    expect(env.writes()).toHaveLength(2);
  });

  it('writes nothing when nothing is held', async () => {
    const env = await setup();
    await env.reporter.flush();
    await env.reporter.counted(1, 10);
    await env.reporter.flush();
    expect(env.writes()).toHaveLength(1);
  });

  it('does not re-write an older count after a newer one was written', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    wallMs += 100;
    await env.reporter.counted(2, 10); // held
    wallMs += 500;
    await env.reporter.counted(7, 10); // written, replaces the held one
    await env.reporter.flush();
    expect(env.writes()).toHaveLength(2);
    expect((await env.stored()).summaryCounts).toEqual({ processed: 7, total: 10 });
  });

  it('still writes a held count after a phase write in between', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    await env.reporter.counted(2, 10); // held
    await env.reporter.phase('store');
    await env.reporter.flush();
    const stored = await env.stored();
    expect(stored.summaryCounts).toEqual({ processed: 2, total: 10 });
    expect(stored.context.progress?.phase?.key).toBe('store');
  });
});

describe('TrackedProgressReporter.phase and composite', () => {
  it('writes a phase at once, even right after a count', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    await env.reporter.phase('collect');
    await env.reporter.phase('store');
    expect(env.writes()).toHaveLength(3);
    expect((await env.stored()).context.progress?.phase).toMatchObject({ key: 'store', index: 2, count: 2 });
  });

  it('writes composite parts at once', async () => {
    const env = await setup();
    await env.reporter.composite([{ key: 'a', label: 'A', state: 'ready' }]);
    expect((await env.stored()).context.progress).toEqual({
      mode: 'composite',
      composite: { parts: [{ key: 'a', label: 'A', state: 'ready' }] },
    });
  });

  it('propagates an unknown phase as a DomainError', async () => {
    const env = await setup();
    await expect(env.reporter.phase('upload')).rejects.toThrow(DomainError);
    expect(env.writes()).toEqual([]);
  });
});

describe('TrackedProgressReporter.close', () => {
  it('stops every write, including a held count', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    await env.reporter.counted(2, 10); // held
    env.reporter.close();
    wallMs += 10_000;
    await env.reporter.counted(10, 10);
    await env.reporter.phase('store');
    await env.reporter.composite([{ key: 'a', label: 'A', state: 'ready' }]);
    await env.reporter.flush();
    expect(env.writes()).toHaveLength(1);
    const stored = await env.stored();
    expect(stored.summaryCounts).toEqual({ processed: 1, total: 10 });
    expect(stored.context.progress).toEqual({ mode: 'counted' });
  });
});

describe('TrackedProgressReporter.current', () => {
  it('starts with the run it was given', async () => {
    const env = await setup();
    expect(env.reporter.current()).toEqual(env.started);
  });

  it('keeps the last known run when a write loses (run finished elsewhere)', async () => {
    const env = await setup();
    await env.reporter.counted(1, 10);
    const known = env.reporter.current();
    await env.service.failFromQueue(known.id, 'worker_lost', { class: 'Error', message: 'x' }, 'Lost.');
    wallMs += 1000;
    await env.reporter.counted(5, 10);
    expect(env.reporter.current()).toEqual(known);
    const stored = await env.stored();
    expect(stored.status).toBe('completed');
    expect(stored.summaryCounts).toEqual({ processed: 1, total: 10 });
  });
});
