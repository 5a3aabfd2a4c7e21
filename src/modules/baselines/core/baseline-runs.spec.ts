import {
  InMemoryBaselineCompareResults,
  InMemoryBaselineProfiles,
  InMemoryBaselineSnapshots,
  InMemoryCurrentInventory,
  SYNCED_AT,
} from '../../../../test/support/fakes/in-memory-baselines';
import { inventoryRecord, RecordingProgressReporter } from '../../../../test/support/fakes/in-memory-inventory';
import { BaselineCapture } from './baseline-capture';
import { BaselineCompare } from './baseline-compare';
import { CAPTURE_PHASES, COMPARE_PHASES } from './baseline-phases';
import { parseBaselineRules } from './baseline-rules';

const RULES = parseBaselineRules({
  volatile_fields: ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'],
  volatile_prefixes: ['@odata.'],
  kinds: {},
});
const WS = 'ws-1';
const many = (count: number, offset = 0) => Array.from({ length: count }, (_, i) => inventoryRecord(i + offset));

async function setup(source = many(3), target = many(3), syncedAt: Record<string, Date | null> = {}) {
  const profiles = new InMemoryBaselineProfiles();
  const snapshots = new InMemoryBaselineSnapshots();
  const results = new InMemoryBaselineCompareResults();
  const inventory = new InMemoryCurrentInventory({ source, target }, syncedAt);
  const profile = await profiles.create({ workspaceId: WS, name: 'B', sourceEnvironmentId: 'source', policyKinds: [] });
  const capture = new BaselineCapture(profiles, snapshots, inventory, RULES);
  const compareWith = (batchSize: number) => new BaselineCompare(profiles, snapshots, results, inventory, RULES, batchSize);
  const params = (runId: string, signal = new AbortController().signal) => ({
    workspaceId: WS, baselineId: profile.id, runId, signal, progress: new RecordingProgressReporter(),
  });
  return { profile, snapshots, results, capture, compareWith, params };
}

describe('BaselineCapture', () => {
  it('walks the catalog phases in order and completes an immutable snapshot', async () => {
    const { capture, params, snapshots } = await setup(many(3));
    const p = params('run-1');
    const result = await capture.run(p);
    expect(p.progress.phases).toEqual(CAPTURE_PHASES.map((phase) => phase.key));
    expect(result).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 3, processed: 3 } });
    expect(result.related?.type).toBe('baseline_snapshot');
    expect(snapshots.rows[0].status).toBe('complete');
    // A retried attempt of the same run finds the complete snapshot and writes nothing new.
    expect((await capture.run(params('run-1'))).related).toEqual(result.related);
    expect(snapshots.rows).toHaveLength(1);
  });

  it('ends blocked, writing no snapshot, when the source never completed an inventory sync', async () => {
    const { capture, params, snapshots } = await setup([], many(3), { source: null });
    await expect(capture.run(params('run-1'))).resolves.toEqual({
      outcome: 'blocked',
      failures: [{ code: 'inventory_not_synced', message: 'Run an inventory sync of Env source first.' }],
    });
    expect(snapshots.rows).toEqual([]);
  });

  it('captures a synced source that really has no items: empty, but evidence', async () => {
    const { capture, params } = await setup([]);
    await expect(capture.run(params('run-1'))).resolves.toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 0, processed: 0 } });
  });

  it('rejects an unknown baseline as invalid input', async () => {
    const { capture, params } = await setup();
    await expect(capture.run({ ...params('run-1'), baselineId: 'nope' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Baseline "nope" was not found.',
    });
  });
});

describe('BaselineCompare', () => {
  it('walks the catalog phases and records findings in batches with a checkpoint', async () => {
    const { capture, compareWith, params, results } = await setup(many(5), many(4, 2));
    await capture.run(params('capture'));
    const p = { ...params('compare'), targetEnvironmentId: 'target' };
    const result = await compareWith(2).run(p);
    expect(p.progress.phases).toEqual(COMPARE_PHASES.map((phase) => phase.key));
    // source 0..4, target 2..5: 0 and 1 missing, 5 unexpected, 2..4 equal.
    expect(result.summaryCounts).toEqual({ total: 6, processed: 6, findings: 3 });
    expect(results.batches.map((b) => b.checkpoint)).toEqual([2, 4, 6]);
  });

  it('a retried attempt resumes from the checkpoint and never duplicates findings', async () => {
    const { capture, compareWith, params, results } = await setup(many(10), []);
    await capture.run(params('capture'));
    const controller = new AbortController();
    const compare = compareWith(3);
    const first = { ...params('compare', controller.signal), targetEnvironmentId: 'target' };
    const record = results.recordBatch.bind(results);
    results.recordBatch = async (...args) => {
      await record(...args);
      if (results.batches.length === 2) controller.abort(new Error('stopped'));
    };
    await expect(compare.run(first)).rejects.toThrow('stopped');
    expect(results.rows[0].checkpoint).toBe(6);

    const second = await compare.run({ ...params('compare'), targetEnvironmentId: 'target' });
    expect(second.summaryCounts).toEqual({ total: 10, processed: 10, findings: 10 });
    expect(results.batches.map((b) => b.checkpoint)).toEqual([3, 6, 9, 10]);
    expect(results.rows).toHaveLength(1);
    expect(results.findings.get(results.rows[0].id)!.size).toBe(10);
  });

  it('records the inventory time of the target it read, on the result and on the run', async () => {
    const target = new Date('2026-11-22T09:30:00Z');
    const { capture, compareWith, params, results } = await setup(many(2), many(2), { target });
    await capture.run(params('capture'));
    const result = await compareWith(200).run({ ...params('compare'), targetEnvironmentId: 'target' });
    expect(result.related).toEqual({ type: 'baseline_compare_result', id: results.rows[0].id, inventory_synced_at: target.toISOString() });
    expect(results.rows[0].inventorySyncedAt).toEqual(target);
    expect(SYNCED_AT).not.toEqual(target);
  });

  it('ends blocked, writing no result, when the target never completed an inventory sync', async () => {
    const { capture, compareWith, params, results } = await setup(many(3), [], { target: null });
    await capture.run(params('capture'));
    await expect(compareWith(200).run({ ...params('compare'), targetEnvironmentId: 'target' })).resolves.toEqual({
      outcome: 'blocked',
      failures: [{ code: 'inventory_not_synced', message: 'Run an inventory sync of Env target first.' }],
    });
    expect(results.rows).toEqual([]);
  });

  it('needs a complete snapshot', async () => {
    const { compareWith, params } = await setup();
    await expect(compareWith(200).run({ ...params('compare'), targetEnvironmentId: 'target' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Baseline "B" has no complete snapshot yet; capture it first.',
    });
  });
});
