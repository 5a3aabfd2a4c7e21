import {
  InMemoryInventoryItemRepository,
  InMemoryInventoryProvider,
  inventoryRecord,
  RecordingProgressReporter,
} from '../../../../test/support/fakes/in-memory-inventory';
import { InventoryRecord } from './inventory-item';
import { InventorySync } from './inventory-sync';

const ENV = 'env-1';

function setup(records: InventoryRecord[]) {
  const provider = new InMemoryInventoryProvider({ 'contoso-hq': records });
  const repository = new InMemoryInventoryItemRepository();
  const sync = new InventorySync(provider, repository);
  const run = (runId: string, controller = new AbortController()) => {
    const progress = new RecordingProgressReporter();
    const params = { environmentId: ENV, environmentSlug: 'contoso-hq', runId, signal: controller.signal, progress };
    return { progress, result: sync.run(params) };
  };
  return { provider, repository, run };
}

const many = (count: number) => Array.from({ length: count }, (_, i) => inventoryRecord(i));

describe('InventorySync', () => {
  it('upserts in batches of 100 and reports real counted progress', async () => {
    const { repository, run } = setup(many(250));
    const { progress, result } = run('run-1');

    await expect(result).resolves.toEqual({
      outcome: 'succeeded',
      summaryCounts: { total: 250, processed: 250, created: 250, updated: 0, unchanged: 0 },
    });
    expect(repository.batches.map((b) => b.items.length)).toEqual([100, 100, 50]);
    expect(progress.counts).toEqual([[0, 250], [100, 250], [200, 250], [250, 250]]);
    expect(await repository.countByRun('run-1')).toBe(250);
  });

  it('hashes every item and stamps the run and environment', async () => {
    const { repository, run } = setup(many(3));
    await run('run-1').result;
    const [batch] = repository.batches;
    expect(batch.environmentId).toBe(ENV);
    expect(batch.runId).toBe('run-1');
    expect(batch.items.every((item) => /^[0-9a-f]{64}$/.test(item.content_hash))).toBe(true);
  });

  it('reports 0 of 0 and succeeds for an empty inventory', async () => {
    const { repository, run } = setup([]);
    const { progress, result } = run('run-1');
    await expect(result).resolves.toMatchObject({ summaryCounts: { total: 0, processed: 0 } });
    expect(progress.counts).toEqual([[0, 0]]);
    expect(repository.batches).toHaveLength(0);
  });

  it('stops before the next batch once aborted and rejects with the reason', async () => {
    const { repository, run } = setup(many(250));
    const controller = new AbortController();
    const reason = new Error('job timed out');
    const { progress, result } = run('run-1', controller);
    progress.onCounted = (processed) => {
      if (processed === 100) controller.abort(reason);
    };

    await expect(result).rejects.toBe(reason);
    expect(repository.batches).toHaveLength(1);
    expect(progress.counts).toEqual([[0, 250], [100, 250]]);
  });

  it('rejects with a plain "aborted" error when the signal carries no reason', async () => {
    const { run } = setup(many(5));
    const signal = { aborted: true, reason: undefined } as unknown as AbortSignal;
    const controller = { signal } as AbortController;
    await expect(run('run-1', controller).result).rejects.toThrow('aborted');
  });

  it('counts a duplicated (kind, external_id) once and keeps the last occurrence', async () => {
    const records = [
      inventoryRecord(1, { display_name: 'first' }),
      inventoryRecord(2),
      inventoryRecord(1, { display_name: 'last' }),
    ];
    const { repository, run } = setup(records);
    const { progress, result } = run('run-1');

    await expect(result).resolves.toMatchObject({
      summaryCounts: { total: 2, processed: 2, created: 2, updated: 0, unchanged: 0 },
    });
    expect(progress.counts).toEqual([[0, 3], [2, 2]]);
    const stored = [...repository.rows.values()].find((row) => row.external_id === 'policy-0001');
    expect(stored?.display_name).toBe('last');
  });

  it('counts a duplicate across batches once, last occurrence written', async () => {
    const records = [...many(150), inventoryRecord(5, { display_name: 'changed later' })];
    const { repository, run } = setup(records);
    const { progress, result } = run('run-1');

    await expect(result).resolves.toMatchObject({
      summaryCounts: { total: 150, processed: 150, created: 150, updated: 0, unchanged: 0 },
    });
    expect(progress.counts.at(-1)).toEqual([150, 150]);
    expect(await repository.countByRun('run-1')).toBe(150);
    const stored = [...repository.rows.values()].find((row) => row.external_id === 'policy-0005');
    expect(stored?.display_name).toBe('changed later');
  });

  it('classifies created / updated / unchanged across two syncs', async () => {
    const first = many(4);
    const { provider, repository, run } = setup(first);
    await run('run-1').result;

    const second = [
      first[0],
      { ...first[1], settings: { ...first[1].settings, passwordMinimumLength: 99 } },
      { ...first[2], display_name: 'Renamed' },
      inventoryRecord(10),
    ];
    (provider as unknown as { bySlug: Record<string, InventoryRecord[]> }).bySlug['contoso-hq'] = second;
    const { result } = run('run-2');

    await expect(result).resolves.toEqual({
      outcome: 'succeeded',
      summaryCounts: { total: 4, processed: 4, created: 1, updated: 2, unchanged: 1 },
    });
    expect(await repository.countByRun('run-2')).toBe(4);
    expect(await repository.countByRun('run-1')).toBe(1); // first[3] was not in the second sync
  });

  it('propagates provider failures after keeping the batches already written', async () => {
    const { provider, repository, run } = setup(many(150));
    provider.onItem = (index) => {
      if (index === 120) throw new Error('provider stopped');
    };
    await expect(run('run-1').result).rejects.toThrow('provider stopped');
    expect(await repository.countByRun('run-1')).toBe(100);
  });
});
