import { buildRun } from '../../../../test/support/run-builder';
import { isRetryable, readRetriedAs, readRetryOf, RETRYABLE_OUTCOMES } from './run-retry';

const OTHER = '00000000-0000-4000-8000-0000000000f1';

describe('run retry rules', () => {
  it('retries a completed run that failed, was blocked, cancelled or partially succeeded — nothing else', () => {
    expect([...RETRYABLE_OUTCOMES].sort()).toEqual(['blocked', 'cancelled', 'failed', 'partially_succeeded']);
    for (const outcome of RETRYABLE_OUTCOMES) expect(isRetryable(buildRun({ status: 'completed', outcome }))).toBe(true);
    expect(isRetryable(buildRun({ status: 'completed', outcome: 'succeeded' }))).toBe(false);
    expect(isRetryable(buildRun({ status: 'running', outcome: 'pending' }))).toBe(false);
    expect(isRetryable(buildRun({ status: 'queued', outcome: 'pending' }))).toBe(false);
  });

  it('reads the lineage only when it names a run id', () => {
    expect(readRetryOf(buildRun({ context: { retry_of: OTHER } }))).toBe(OTHER);
    expect(readRetriedAs(buildRun({ context: { retried_as: OTHER } }))).toBe(OTHER);
    expect(readRetryOf(buildRun({ context: { retry_of: 'not-a-run' } }))).toBeNull();
    expect(readRetriedAs(buildRun({ context: { retried_as: 42 } as never }))).toBeNull();
    expect(readRetryOf(buildRun())).toBeNull();
  });
});
