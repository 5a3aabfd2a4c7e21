import { DomainError } from '../../../shared/core/domain-error';
import { BULK_ACTIONS, MAX_FAN_OUT_ENVIRONMENTS } from './bulk-run-types';

/**
 * Every coded error of bulk actions and fan-out, in one place (codes and messages are part of API
 * answers and run failures). Access denials answer rbac's not_found and forbidden.
 */
export const BulkRunErrors = {
  /** A run that spans environments needs a member who sees every one of them. */
  needsEveryEnvironment: () =>
    new DomainError(
      'needs_every_environment',
      'Acting across environments needs access to every environment of the workspace; filter the view by one of your environments.',
      'forbidden',
    ),
  inputNotObject: (type: string) => new DomainError('invalid_input', `The input of ${type} must be an object.`),
  unknownInputKey: (type: string, key: string) => new DomainError('invalid_input', `${type} does not take "${key}".`),
  unknownAction: (action: unknown) =>
    new DomainError('invalid_input', `action must be one of: ${BULK_ACTIONS.join(', ')} (got ${JSON.stringify(action) ?? 'nothing'}).`),
  filterNotObject: () => new DomainError('invalid_input', 'filter must be an object of the hub list’s query parameters.'),
  unknownFilterKey: (key: string, known: readonly string[]) =>
    new DomainError('invalid_input', `filter.${key} is not a hub filter (known: ${known.join(', ')}).`),
  filterValueNotText: (key: string) => new DomainError('invalid_input', `filter.${key} must be a short text value.`),
  filterValueInvalid: (key: string, expected: string) => new DomainError('invalid_input', `filter.${key} must be ${expected}.`),
  fanOutTypeMissing: () => new DomainError('invalid_input', 'type must name the operation type to start in each environment.'),
  fanOutEnvironments: () =>
    new DomainError(
      'invalid_input',
      `environments must be "all" or a list of 1 to ${MAX_FAN_OUT_ENVIRONMENTS} distinct environment slugs.`,
    ),
  /** A bulk run started by nobody (system) has no scope to act within. */
  initiatorRequired: () =>
    new DomainError('initiator_required', 'A bulk run acts for the user who started it; this run has no initiator.'),
  invalidChildrenCursor: () => new DomainError('invalid_cursor', 'cursor must be the next_cursor of a previous page.'),
} as const;
