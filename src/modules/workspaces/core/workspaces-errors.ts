import { DomainError } from '../../../shared/core/domain-error';

/**
 * Every coded error the workspaces module raises (environment administration), in one place:
 * codes and messages are part of API answers and form errors. Access denials answer rbac's
 * not_found and forbidden.
 */
export const WorkspacesErrors = {
  invalidEnvironmentSlug: () =>
    new DomainError(
      'invalid_slug',
      'The slug must be 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.',
    ),
  environmentSlugTaken: (slug: string) =>
    new DomainError('environment_exists', `This workspace already has an environment "${slug}".`, 'conflict', { slug }),
  displayNameMissing: () => new DomainError('invalid_display_name', 'A display name is required.'),
  displayNameTooLong: (maxLength: number) =>
    new DomainError('invalid_display_name', `Display names can be at most ${maxLength} characters long.`),
  /** Shows at most the first 40 characters of what was given. */
  unknownProviderKind: (kind: string, known: readonly string[]) =>
    new DomainError('invalid_provider', `Unknown provider kind "${kind.slice(0, 40)}". Known kinds: ${known.join(', ')}.`),
  /** A provider kind's own refusal of its settings; `message` is that kind's wording. */
  invalidProviderSettings: (kind: string, message: string) =>
    new DomainError('invalid_provider', `Provider "${kind}": ${message}`),
  /** A provider registry with two kinds of one name (checked at boot). */
  duplicateProviderKind: (kind: string) =>
    new DomainError('invalid_provider_registry', `Provider kind "${kind}" is registered twice.`),
};
