import { bulkResult, ChildResult, describeTally } from './child-results';

const records = (...pairs: [ChildResult, number][]) => pairs.flatMap(([result, n]) => Array.from({ length: n }, () => ({ result })));

describe('bulkResult', () => {
  it('every target acted on: succeeded, with counts and no failure sentence', () => {
    expect(bulkResult(records(['cancelled', 3], ['cancel_requested', 2]))).toEqual({
      outcome: 'succeeded',
      summaryCounts: { total: 5, processed: 5, succeeded: 5, skipped: 0, failed: 0 },
    });
  });

  it('nothing matched: a success that did nothing', () => {
    expect(bulkResult([])).toEqual({ outcome: 'succeeded', summaryCounts: { total: 0, processed: 0, succeeded: 0, skipped: 0, failed: 0 } });
  });

  it('some had already finished: partially succeeded, saying how many of each', () => {
    expect(bulkResult(records(['cancelled', 38], ['already_finished', 2]))).toEqual({
      outcome: 'partially_succeeded',
      summaryCounts: { total: 40, processed: 40, succeeded: 38, skipped: 2, failed: 0 },
      failures: [{ code: 'bulk_partial', message: '38 cancelled; 2 had already finished.' }],
    });
  });

  it('nothing acted on and something refused: failed', () => {
    expect(bulkResult(records(['forbidden', 2], ['not_retryable', 1]))).toMatchObject({
      outcome: 'failed',
      failures: [{ code: 'bulk_nothing_done', message: '1 were no longer retryable; 2 were not permitted to you.' }],
    });
  });

  it('only skipped: partially succeeded (nothing was refused, nothing needed doing)', () => {
    expect(bulkResult(records(['already_active', 2])).outcome).toBe('partially_succeeded');
  });
});

describe('describeTally', () => {
  it('acted first, then skipped, then refused', () => {
    const counts = new Map<ChildResult, number>([['refused', 1], ['already_active', 2], ['started', 5]]);
    expect(describeTally(counts)).toBe('5 started; 2 already had an identical run active; 1 were refused.');
  });
});
