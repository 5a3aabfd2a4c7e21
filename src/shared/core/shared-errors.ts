import { DomainError } from './domain-error';

/**
 * Coded errors raised outside any module: the composition root's CLI commands (`src/cli.ts`), which
 * look rows up directly rather than through a module's use cases. Their messages are CLI output
 * that operators and tests read, so a change to one is made here, nowhere else.
 */
export const SharedErrors = {
  /** `run:start --workspace`: the CLI acts as the system, so no deny-as-not-found applies. */
  workspaceNotFound: (slug: string) => new DomainError('not_found', `Workspace "${slug}" was not found.`, 'not_found'),
  /** `run:start --environment`, looked up in the workspace given. */
  environmentNotFound: (slug: string) => new DomainError('not_found', `Environment "${slug}" was not found.`, 'not_found'),
  /** `run:show`: a malformed id and an unknown one answer alike. */
  runNotFound: (id: string) => new DomainError('not_found', `Run "${id}" was not found.`, 'not_found'),
  /** `run:start --input` that does not parse as JSON. */
  inputNotJson: () => new DomainError('invalid_input', '--input is not valid JSON.'),
} as const;
