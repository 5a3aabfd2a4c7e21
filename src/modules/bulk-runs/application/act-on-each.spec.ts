import { ChildRecord } from '../core/child-results';
import { RecordedChild, RunChildren } from '../core/ports/run-children.port';
import { actOnEach, CHILD_BATCH } from './act-on-each';

class MemoryChildren implements RunChildren {
  rows: RecordedChild[] = [];
  writes = 0;
  async record(_parent: string, children: readonly ChildRecord[]): Promise<void> {
    this.writes++;
    for (const c of children) this.rows.push({ ...c, position: this.rows.length + 1 });
  }
  async recorded(): Promise<RecordedChild[]> {
    return [...this.rows];
  }
  async countByParents(): Promise<Map<string, number>> {
    return new Map();
  }
  async page(): Promise<RecordedChild[]> {
    return [];
  }
}

const clock = { now: () => new Date('2026-12-06T00:00:00Z') };
const progress = () => {
  const seen: [number, number][] = [];
  return { seen, reporter: { counted: async (p: number, t: number) => void seen.push([p, t]), phase: async () => {}, composite: async () => {} } };
};

describe('actOnEach', () => {
  it('acts on each target in order, records per batch and reports real counted progress', async () => {
    const children = new MemoryChildren();
    const p = progress();
    const targets = Array.from({ length: CHILD_BATCH + 3 }, (_, i) => `run-${i}`);
    const acted: string[] = [];
    const result = await actOnEach({
      runId: 'bulk',
      targets,
      keyOf: (t) => t,
      act: async (t) => (acted.push(t), { runId: t, environmentId: null, result: 'cancelled' }),
      children,
      progress: p.reporter,
      signal: new AbortController().signal,
      clock,
    });
    expect(acted).toEqual(targets);
    expect(children.writes).toBe(2);
    expect(p.seen).toEqual([[0, 28], [25, 28], [28, 28]]);
    expect(result).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 28 }, related: { type: 'run_children', id: 'bulk' } });
  });

  it('a resumed attempt never acts twice on what an earlier attempt recorded, and counts it', async () => {
    const children = new MemoryChildren();
    await children.record('bulk', [{ runId: 'a', environmentId: null, result: 'cancelled' }]);
    const acted: string[] = [];
    const result = await actOnEach({
      runId: 'bulk',
      targets: ['a', 'b'],
      keyOf: (t) => t,
      act: async (t) => (acted.push(t), { runId: t, environmentId: null, result: 'already_finished' }),
      children,
      progress: progress().reporter,
      signal: new AbortController().signal,
      clock,
    });
    expect(acted).toEqual(['b']);
    expect(result.failures).toEqual([{ code: 'bulk_partial', message: '1 cancelled; 1 had already finished.' }]);
  });

  it('stops between targets once aborted, keeping the record of what it did', async () => {
    const children = new MemoryChildren();
    const controller = new AbortController();
    const reason = new Error('cancelled by an operator');
    await expect(
      actOnEach({
        runId: 'bulk',
        targets: ['a', 'b', 'c'],
        keyOf: (t) => t,
        act: async (t) => {
          if (t === 'b') controller.abort(reason);
          return { runId: t, environmentId: null, result: 'cancelled' };
        },
        children,
        progress: progress().reporter,
        signal: controller.signal,
        clock,
      }),
    ).rejects.toBe(reason);
    expect(children.rows.map((r) => r.runId)).toEqual(['a', 'b']);
  });
});
