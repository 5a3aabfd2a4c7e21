import { DomainError } from '../../../shared/core/domain-error';

/**
 * Every coded error the baselines module raises (core, use cases, HTTP, handlers, inventory),
 * in one place: codes and messages are part of API answers and run failures that operators and
 * tests read, so a change to one is made here, nowhere else.
 */
export const BaselineErrors = {
  // Profiles
  /** Unknown, or hidden from the starter: the same answer, so a start input is no oracle. */
  profileNotFound: (id: string) => new DomainError('invalid_input', `Baseline "${id}" was not found.`),
  nameTaken: (name: string) =>
    new DomainError('baseline_name_taken', `A baseline named "${name}" already exists for this source environment.`, 'conflict'),
  nameEmpty: () => new DomainError('invalid_input', 'name must not be empty'),
  nothingToChange: () => new DomainError('invalid_input', 'Provide name and/or policy_kinds to change.'),
  /** In the workspace, an unknown or hidden source is a bad field, not a missing resource. */
  sourceEnvironmentNotFound: (slug: string) => new DomainError('invalid_input', `Environment "${slug}" was not found.`),
  invalidRules: (problems: string[]) =>
    new DomainError('invalid_baseline_rules', `Baseline rules are invalid: ${problems.join('; ')}.`, 'invalid', { problems }),

  // Reads
  invalidFindingsCursor: () =>
    new DomainError('invalid_cursor', 'cursor is not valid: pass the next_cursor of a previous page unchanged.'),
  /** A page's query that its form validation refused; `message` is that validation's own text. */
  invalidQuery: (message: string) => new DomainError('invalid_query', message),
  compareTargetMissing: () => new DomainError('invalid_input', 'Choose an environment to compare.'),

  // Capture and compare runs
  invalidRunInput: (type: string) =>
    new DomainError('invalid_input', `${type} needs an input object like {"baseline_id": "<id>"}.`),
  unexpectedRunInputField: (type: string, field: string) =>
    new DomainError('invalid_input', `${type} takes only baseline_id; unexpected field "${field}".`),
  baselineIdMissing: (type: string) =>
    new DomainError('invalid_input', `${type} needs baseline_id (the id of a baseline profile).`),
  captureOutsideSource: (profileName: string) =>
    new DomainError('invalid_input', `Baseline "${profileName}" is captured from its source environment; start the capture there.`),
  compareTargetRequired: () => new DomainError('invalid_input', 'baseline.compare needs a target environment.'),
  noCompleteSnapshot: (profileName: string) =>
    new DomainError('invalid_input', `Baseline "${profileName}" has no complete snapshot yet; capture it first.`),
  snapshotAlreadyUnusable: () =>
    new DomainError('snapshot_unusable', 'This capture was already marked unusable; start a new capture.'),
  snapshotClosedElsewhere: () =>
    new DomainError('snapshot_unusable', 'The snapshot was closed by someone else before it was complete.'),
  compareAlreadyUnusable: () =>
    new DomainError('compare_unusable', 'This compare was already marked unusable; start a new compare.'),
  compareClosedElsewhere: () =>
    new DomainError('compare_unusable', 'The compare was closed by someone else before it was complete.'),

  // Inventory
  /** The environment can be removed between dispatch and execution. */
  runEnvironmentGone: () => new DomainError('environment_not_found', 'The environment of this run no longer exists.', 'not_found'),
  syncInputNotObject: () => new DomainError('invalid_input', 'Input must be a JSON object.'),
  syncTakesNoInput: (field: string) => new DomainError('invalid_input', `inventory.sync takes no input; unexpected field "${field}".`),
  syncEnvironmentRequired: () => new DomainError('invalid_input', 'inventory.sync needs an environment.'),
  fixtureSlugUnusable: (slug: string) =>
    new DomainError('inventory_fixture_invalid', `Environment slug ${JSON.stringify(slug)} cannot name an inventory fixture file.`),
  fixtureMissing: (fileName: string, dir: string) =>
    new DomainError('inventory_fixture_missing', `Inventory fixture file "${fileName}" was not found in ${dir}.`, 'not_found'),
  /** Permissions, a directory named like the file, …: the OS message stays out of operator copy. */
  fixtureUnreadable: (fileName: string) => new DomainError('inventory_fixture_invalid', `Inventory fixture "${fileName}" could not be read.`),
  fixtureNotJson: (fileName: string) => new DomainError('inventory_fixture_invalid', `Inventory fixture "${fileName}" is not valid JSON.`),
  fixtureInvalid: (fileName: string, problem: string) =>
    new DomainError('inventory_fixture_invalid', `Inventory fixture "${fileName}" is invalid: ${problem}.`),
  providerStopped: (yielded: number) =>
    new DomainError('inventory_provider_failed', `The inventory provider stopped responding after ${yielded} items.`, 'unavailable'),
} as const;
