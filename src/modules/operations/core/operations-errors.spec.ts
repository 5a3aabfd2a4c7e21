import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { DISPATCH_FAILED_MESSAGE } from './operation-run.requests';
import { DISPATCH_FAILED_CODE, OperationErrors } from './operations-errors';

describe('OperationErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      OperationErrors,
      {
        invalid_operation_catalog: 'invalid',
        unknown_operation_type: 'invalid',
        invalid_run_handlers: 'invalid',
        invalid_run_observers: 'invalid',
        invalid_start_forms: 'invalid',
        invalid_related_links: 'invalid',
        illegal_run_transition: 'conflict',
        dispatch_failed: 'unavailable',
        invalid_progress: 'invalid',
        invalid_summary_counts: 'invalid',
        invalid_cursor: 'invalid',
        invalid_date_range: 'invalid',
        invalid_date: 'invalid',
        invalid_filter: 'invalid',
        invalid_type: 'invalid',
        invalid_input: 'invalid',
        run_completed: 'conflict',
        run_not_retryable: 'conflict',
        environment_archived: 'conflict',
        workspace_level_type: 'invalid',
      },
      {
        invalidCatalog: [['inventory.sync: declared twice']],
        catalogCapabilitiesUnknown: [['inventory.sync: capability "x" is not in the capability registry']],
        unknownType: ['nope', ['inventory.sync']],
        noHandler: ['inventory.sync'],
        invalidRunHandlers: [['inventory.sync: no handler is registered']],
        invalidRunObservers: [['metrics: registered twice']],
        invalidStartForms: [['inventory.sync: two forms']],
        invalidRelatedLinks: [['baseline_snapshot: two links']],
        illegalTransition: ['completed', 'running'],
        dispatchFailed: ['r-1'],
        runAlreadyCompleted: ['succeeded'],
        runNotRetryable: ['running', 'pending'],
        environmentArchived: ['contoso-hq'],
        unknownPhase: ['capture', 'baseline.capture'],
        unknownSummaryCountKey: ['skipped'],
        invalidSummaryCount: ['total'],
        invalidDate: ['from'],
        invalidFilter: ['Choose a status from the list.'],
        invalidStartField: ['Choose a baseline.'],
        startsFromWorkspace: ['operations.fan_out'],
      },
    );
  });

  it('lists registration problems one per line, and keeps them in the details', () => {
    const error = OperationErrors.invalidRunHandlers(['a: no handler is registered', 'b: two handlers']);
    expect(error.message).toBe('Run handler registration is invalid:\n - a: no handler is registered\n - b: two handlers');
    expect(error.details).toEqual({ problems: ['a: no handler is registered', 'b: two handlers'] });
  });

  it('names the run a failed dispatch recorded, under the exported code', () => {
    expect(OperationErrors.dispatchFailed('r-1')).toMatchObject({
      code: DISPATCH_FAILED_CODE,
      message: DISPATCH_FAILED_MESSAGE,
      details: { run_id: 'r-1' },
    });
  });
});
