import { RbacErrors } from './rbac-errors';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_DISPLAY_NAME_LENGTH = 120;
// Deliberately simple: one "@", no spaces, a dot in the domain. Delivery is not our concern.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are unique case-insensitively; we keep the spelling given, trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim();
}

export function emailKey(email: string): string {
  return normalizeEmail(email).toLowerCase();
}

export function assertValidEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(normalized)) {
    throw RbacErrors.invalidEmail(normalized);
  }
  return normalized;
}

export function assertValidDisplayName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw RbacErrors.displayNameMissing();
  if (trimmed.length > MAX_DISPLAY_NAME_LENGTH) {
    throw RbacErrors.displayNameTooLong(MAX_DISPLAY_NAME_LENGTH);
  }
  return trimmed;
}
