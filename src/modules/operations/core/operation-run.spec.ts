import { DomainError } from '../../../shared/core/domain-error';
import { buildRun } from '../../../../test/support/run-builder';
import { ACTIVE_STATUSES, assertTransition, isActive, RUN_STATUSES, RunStatus, withChange } from './operation-run';

/** Every (from, to) pair of the three statuses, with whether SPEC 2.1 allows it. */
const TABLE: Array<[RunStatus, RunStatus, boolean]> = [
  ['queued', 'queued', false],
  ['queued', 'running', true],
  ['queued', 'completed', true],
  ['running', 'queued', false],
  ['running', 'running', true], // a retried attempt starts again on a running run
  ['running', 'completed', true],
  ['completed', 'queued', false],
  ['completed', 'running', false],
  ['completed', 'completed', false],
];

describe('assertTransition', () => {
  it('covers all nine status pairs', () => {
    const pairs = new Set(TABLE.map(([from, to]) => `${from}->${to}`));
    expect(pairs.size).toBe(RUN_STATUSES.length * RUN_STATUSES.length);
  });

  it.each(TABLE.filter(([, , legal]) => legal))('allows %s → %s', (from, to) => {
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(TABLE.filter(([, , legal]) => !legal))('rejects %s → %s with a conflict', (from, to) => {
    let error: unknown;
    try {
      assertTransition(from, to);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe('illegal_run_transition');
    expect(domain.kind).toBe('conflict');
    expect(domain.details).toEqual({ from, to });
    expect(domain.message).toBe(`A run cannot move from ${from} to ${to}.`);
  });

  it('never re-opens a completed run, whatever the target', () => {
    for (const to of RUN_STATUSES) expect(() => assertTransition('completed', to)).toThrow(DomainError);
  });
});

describe('isActive', () => {
  it.each<[RunStatus, boolean]>([
    ['queued', true],
    ['running', true],
    ['completed', false],
  ])('%s → %s', (status, active) => {
    expect(isActive(buildRun({ status }))).toBe(active);
  });

  it('agrees with ACTIVE_STATUSES', () => {
    for (const status of RUN_STATUSES) expect(isActive({ status })).toBe(ACTIVE_STATUSES.includes(status));
  });
});

describe('withChange', () => {
  const run = buildRun({
    status: 'running',
    attempts: 1,
    context: { inputs: { full: true }, failures: [{ code: 'a', message: 'A.' }], diagnostics: { last_error: { message: 'x' } } },
  });

  it('applies the change like the repository: given fields replaced, context merged at the top level', () => {
    const completedAt = new Date('2026-01-01T00:01:00Z');
    const next = withChange(run, {
      status: 'completed',
      outcome: 'failed',
      completedAt,
      contextMerge: { failures: [{ code: 'b', message: 'B.' }] },
      diagnosticsMerge: { final_error: { message: 'y' } },
    });
    expect(next).toMatchObject({ status: 'completed', outcome: 'failed', completedAt, attempts: 1, updatedAt: run.updatedAt });
    expect(next.context).toEqual({
      inputs: { full: true },
      failures: [{ code: 'b', message: 'B.' }],
      diagnostics: { last_error: { message: 'x' }, final_error: { message: 'y' } },
    });
  });

  it('leaves the run it was given untouched', () => {
    const before = structuredClone(run);
    withChange(run, { status: 'completed', outcome: 'succeeded', contextMerge: { related: { type: 'x', id: '1' } } });
    expect(run).toEqual(before);
  });
});
