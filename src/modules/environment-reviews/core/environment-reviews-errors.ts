import { DomainError } from '../../../shared/core/domain-error';

/** A review input the compose start refuses, naming the input field it is about. */
const invalidInput = (field: string, message: string) => new DomainError('invalid_input', message, 'invalid', { field });

/**
 * Every coded error the environment-reviews module raises, in one place: the messages are what an
 * operator reads beside the compose form and in API answers (tests hold them byte for byte), so a
 * change to one is made here, nowhere else. Review reads answer rbac's shared not_found.
 */
export const EnvironmentReviewErrors = {
  inputNotObject: () =>
    invalidInput('input', 'Review input must be an object: { period: "YYYY-MM" } or { from: "YYYY-MM-DD", to: "YYYY-MM-DD" }.'),
  unknownInputField: (field: string) =>
    invalidInput(field, `Unknown review input field "${field}"; expected period, or from and to.`),
  periodAndRange: () => invalidInput('period', 'Give either period or from and to, not both.'),
  periodNotMonth: () => invalidInput('period', 'period must be a month written as YYYY-MM, e.g. "2024-03".'),
  periodMalformed: (got: string) =>
    invalidInput('period', `period must be a month written as YYYY-MM, e.g. "2024-03" (got "${got}").`),
  periodOutOfBounds: (minYear: number, latestMonth: string, got: string) =>
    invalidInput('period', `period must be a month from ${minYear}-01 to ${latestMonth} (got "${got}").`),
  fromMissing: () => invalidInput('from', 'from is required with to (YYYY-MM-DD).'),
  toMissing: () => invalidInput('to', 'to is required with from (YYYY-MM-DD).'),
  rangeReversed: (to: string, from: string) => invalidInput('to', `to (${to}) must be on or after from (${from}).`),
  rangeBeyondCurrentMonth: (to: string, currentMonth: string) =>
    invalidInput('to', `to (${to}) must not be later than the end of the current month (${currentMonth}).`),
  /** `got` is the refused text when there was one (a non-string value has none to echo). */
  invalidDay: (field: 'from' | 'to', minYear: number, got?: string) =>
    invalidInput(
      field,
      `${field} must be a calendar date from ${minYear}-01-01 written as YYYY-MM-DD, e.g. "2024-03-31"${got === undefined ? '' : ` (got "${got}")`}.`,
    ),
  composeNeedsEnvironment: (type: string) =>
    new DomainError('invalid_input', `${type} needs an environment: start it on one environment.`),
} as const;
