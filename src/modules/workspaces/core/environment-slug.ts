import { WorkspacesErrors } from './workspaces-errors';

/** DNS-label shaped: URLs and CLI arguments carry it unencoded and it reads well in both. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const DISPLAY_NAME_MAX_LENGTH = 120;

/** The slug as given, when it is 1–63 lowercase letters, digits or hyphens, not starting or ending with a hyphen. */
export function environmentSlug(value: unknown): string {
  if (typeof value !== 'string' || !SLUG.test(value)) throw WorkspacesErrors.invalidEnvironmentSlug();
  return value;
}

/** Trimmed; required, at most DISPLAY_NAME_MAX_LENGTH characters. */
export function environmentDisplayName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw WorkspacesErrors.displayNameMissing();
  if (name.length > DISPLAY_NAME_MAX_LENGTH) throw WorkspacesErrors.displayNameTooLong(DISPLAY_NAME_MAX_LENGTH);
  return name;
}
