import { at, buildRun, T0 } from '../../../../test/support/run-builder';
import { withChange } from './operation-run';
import {
  CANCELLED_FAILURE_CODE,
  cancelPendingCopy,
  cancelQueued,
  planCancel,
  readCancellation,
  requestCancellation,
} from './run-cancellation';

const USER = '00000000-0000-4000-8000-0000000000c1';

describe('run cancellation (pure rules)', () => {
  it('plans by state: queued now, running by request, a repeated request writes nothing, completed refuses', () => {
    expect(planCancel(buildRun({ status: 'queued' }))).toBe('cancel_now');
    expect(planCancel(buildRun({ status: 'running' }))).toBe('request');
    const requested = buildRun({ status: 'running', context: { cancellation: { requested_by: USER, requested_at: T0.toISOString() } } });
    expect(planCancel(requested)).toBe('already_requested');
    expect(planCancel(buildRun({ status: 'completed', outcome: 'succeeded' }))).toBe('completed');
  });

  it('a malformed cancellation on record counts as none', () => {
    expect(readCancellation(buildRun({ context: { cancellation: 'yes' } as never }))).toBeNull();
    expect(readCancellation(buildRun({ context: { cancellation: { requested_at: 'soon' } } as never }))).toBeNull();
    expect(readCancellation(buildRun({ context: { cancellation: { requested_at: T0.toISOString(), requested_by: 7 } } as never }))).toEqual({
      requested_by: null,
      requested_at: T0.toISOString(),
    });
  });

  it('a request on a running run is guarded on running and merges only the cancellation', () => {
    const guarded = requestCancellation(USER, at(3));
    expect(guarded.expectedStatus).toBe('running');
    expect(guarded.change).toEqual({ contextMerge: { cancellation: { requested_by: USER, requested_at: at(3).toISOString() } } });
  });

  it('a queued run completes cancelled at once, guarded on queued, with who asked and when', () => {
    const run = buildRun({ status: 'queued' });
    const guarded = cancelQueued(run, USER, at(2));
    expect(guarded.expectedStatus).toBe('queued');
    const after = withChange(run, guarded.change);
    expect(after.status).toBe('completed');
    expect(after.outcome).toBe('cancelled');
    expect(after.completedAt).toEqual(at(2));
    expect(after.context.cancellation).toEqual({ requested_by: USER, requested_at: at(2).toISOString() });
    expect(after.context.failures?.map((f) => f.code)).toEqual([CANCELLED_FAILURE_CODE]);
    // A cancel is no success: it never supersedes earlier failures.
    expect(guarded.change.supersedesFollowUps).toBeUndefined();
  });

  it('says how long the request has waited, never a negative age', () => {
    const c = { requested_by: USER, requested_at: T0.toISOString() };
    expect(cancelPendingCopy(c, at(12))).toBe('Cancel requested 12 s ago — waiting for the worker to stop.');
    expect(cancelPendingCopy(c, at(-5))).toBe('Cancel requested 0 s ago — waiting for the worker to stop.');
    expect(cancelPendingCopy(c, at(150))).toBe('Cancel requested 2 min ago — waiting for the worker to stop.');
  });
});
