import { RbacErrors } from './rbac-errors';

export const MAX_WORKSPACE_SLUG_LENGTH = 63;
export const MAX_WORKSPACE_NAME_LENGTH = 120;
/** A DNS label's shape: lowercase letters, digits and inner hyphens (URLs keep it as is). */
export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Slugs are never trimmed or lowercased for the caller: what is stored is exactly what was asked. */
export function assertValidWorkspaceSlug(slug: string): string {
  if (!WORKSPACE_SLUG_PATTERN.test(slug)) throw RbacErrors.invalidWorkspaceSlug(MAX_WORKSPACE_SLUG_LENGTH);
  return slug;
}

export function assertValidWorkspaceName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || [...trimmed].length > MAX_WORKSPACE_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw RbacErrors.invalidWorkspaceName(MAX_WORKSPACE_NAME_LENGTH);
  }
  return trimmed;
}
