import { resolveRunId } from './run-correlation';

const ID = '3f2b8c1e-9a4d-4e7f-8b21-6c5d4e3f2a10';

describe('resolveRunId', () => {
  it('reads job.data.operationRunId', () => {
    expect(resolveRunId({ data: { operationRunId: ID } })).toBe(ID);
  });

  it('normalizes an upper-case uuid to lower case', () => {
    expect(resolveRunId({ data: { operationRunId: ID.toUpperCase() } })).toBe(ID);
  });

  it('ignores the other job data', () => {
    expect(resolveRunId({ data: { operationRunId: ID, runId: 'x', type: 'inventory.sync' } })).toBe(ID);
  });

  it.each<[string, unknown]>([
    ['no data', undefined],
    ['null data', null],
    ['empty data', {}],
    ['a differently named key', { runId: ID }],
    ['a snake_case key', { operation_run_id: ID }],
    ['a number', { operationRunId: 42 }],
    ['an object', { operationRunId: { id: ID } }],
    ['an empty string', { operationRunId: '' }],
    ['a non-uuid string', { operationRunId: 'run-1' }],
    ['a uuid with surrounding text', { operationRunId: ` ${ID}` }],
    ['a uuid with a trailing newline', { operationRunId: `${ID}\n` }],
    ['a uuid without dashes', { operationRunId: ID.replace(/-/g, '') }],
    ['a uuid with a non-hex character', { operationRunId: ID.replace('a', 'g') }],
    ['a string data payload', ID],
  ])('returns null for %s (never guesses)', (_label, data) => {
    expect(resolveRunId({ data } as never)).toBeNull();
  });
});
