import { DomainError } from '../../../shared/core/domain-error';
import { DISPATCH_FAILED_MESSAGE } from './operation-run.requests';

/** The code of `dispatchFailed`, for callers that record a run the queue refused. */
export const DISPATCH_FAILED_CODE = 'dispatch_failed';

/** A boot-time registration check that found problems, listed one per line. */
const registrationInvalid = (code: string, what: string, problems: string[]) =>
  new DomainError(code, `${what}:\n - ${problems.join('\n - ')}`, 'invalid', { problems });

/**
 * Every coded error the operations module raises (core, use cases, HTTP, config checks), in one
 * place: codes and messages are part of API answers, run failures and boot errors that operators
 * and tests read, so a change to one is made here, nowhere else. Access denials answer rbac's
 * not_found and forbidden.
 */
export const OperationErrors = {
  // Catalog and boot-time registrations
  /** Names that clash in the catalog itself (a type or alias declared twice, …). */
  invalidCatalog: (problems: string[]) =>
    new DomainError('invalid_operation_catalog', `Operation catalog is invalid: ${problems.join('; ')}.`, 'invalid', { problems }),
  /** Catalog types whose capability is not in rbac's capability registry (checked at boot). */
  catalogCapabilitiesUnknown: (problems: string[]) =>
    new DomainError('invalid_operation_catalog', `Operation catalog is invalid:\n - ${problems.join('\n - ')}`),
  unknownType: (typeOrAlias: string, knownTypes: string[]) =>
    new DomainError('unknown_operation_type', `Unknown operation type "${typeOrAlias}". Known types: ${knownTypes.join(', ')}.`),
  /** An environment start naming a workspace-level type (bulk actions, fan-out). */
  startsFromWorkspace: (type: string) =>
    new DomainError(
      'workspace_level_type',
      `"${type}" acts across a workspace: start it from the operations hub (bulk actions) or with fan-out, not for one environment.`,
    ),
  /** A catalog type with no handler, or asked for before the handlers were registered. */
  noHandler: (type: string) => new DomainError('unknown_operation_type', `No handler is registered for "${type}".`),
  invalidRunHandlers: (problems: string[]) => registrationInvalid('invalid_run_handlers', 'Run handler registration is invalid', problems),
  invalidRunObservers: (problems: string[]) =>
    registrationInvalid('invalid_run_observers', 'Run observer registration is invalid', problems),
  invalidStartForms: (problems: string[]) => registrationInvalid('invalid_start_forms', 'Start form registration is invalid', problems),
  invalidRelatedLinks: (problems: string[]) =>
    registrationInvalid('invalid_related_links', 'Related artifact links are invalid', problems),

  // Run lifecycle
  illegalTransition: (from: string, to: string) =>
    new DomainError('illegal_run_transition', `A run cannot move from ${from} to ${to}.`, 'conflict', { from, to }),
  /** A retryable attempt failure reported for a run that is not running. */
  failAttemptNotRunning: () => new DomainError('illegal_run_transition', 'Only a running run can fail an attempt.', 'conflict'),
  /** Completion reported with the outcome `pending`. */
  completionNotTerminal: () => new DomainError('illegal_run_transition', 'A completed run needs a terminal outcome.', 'conflict'),
  /** The run was recorded, then closed as failed because the job queue refused it; `run_id` names it. */
  dispatchFailed: (runId: string) => new DomainError(DISPATCH_FAILED_CODE, DISPATCH_FAILED_MESSAGE, 'unavailable', { run_id: runId }),
  invalidCountedProgress: () => new DomainError('invalid_progress', 'Counted progress needs non-negative numbers.'),
  unknownPhase: (key: string, type: string) => new DomainError('invalid_progress', `"${key}" is not a phase of ${type}.`),
  unknownSummaryCountKey: (key: string) => new DomainError('invalid_summary_counts', `Unknown summary count key "${key}".`),
  invalidSummaryCount: (key: string) =>
    new DomainError('invalid_summary_counts', `Summary count "${key}" must be a non-negative number.`),

  // Lists and pages
  invalidCursor: () => new DomainError('invalid_cursor', 'cursor is not valid: pass the next_cursor of a previous page unchanged.'),
  invalidDateRange: () => new DomainError('invalid_date_range', 'from must be on or before to.'),
  /** `name` is the query field (from, to) holding a date that is not a real calendar day. */
  invalidDate: (name: string) => new DomainError('invalid_date', `${name} is not a real calendar day.`),
  /** The hub's live fragment with filters its form validation refused; `message` is that validation's first. */
  invalidFilter: (message: string) => new DomainError('invalid_filter', message),
  /** A start form posted without a usable operation type. */
  startTypeMissing: () => new DomainError('invalid_type', 'Choose an operation type to start.'),
  /** A start form field whose value its kind refuses; `message` is that kind's own wording. */
  invalidStartField: (message: string) => new DomainError('invalid_input', message),

  /** A start in an archived environment: its history stays readable, it takes no new runs. */
  environmentArchived: (environment: string) =>
    new DomainError('environment_archived', `Environment "${environment}" is archived: it accepts no new runs. Restore it to start runs again.`, 'conflict', {
      environment,
    }),

  // Run control
  /** A cancel of a run that has already completed (with `outcome`): nothing is left to stop. */
  runAlreadyCompleted: (outcome: string) =>
    new DomainError('run_completed', 'The run has already completed; there is nothing to cancel.', 'conflict', { outcome }),
  /** A retry of a run that is still active or succeeded: only failed, blocked, cancelled or partial runs are run again. */
  runNotRetryable: (status: string, outcome: string) =>
    new DomainError(
      'run_not_retryable',
      'Only a completed run that failed, was blocked, was cancelled or partially succeeded can be retried.',
      'conflict',
      { status, outcome },
    ),
} as const;
