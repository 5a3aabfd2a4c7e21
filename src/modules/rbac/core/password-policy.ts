import { RbacErrors } from './rbac-errors';

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt only reads the first 72 bytes; a longer password would silently lose its tail. */
export const MAX_PASSWORD_BYTES = 72;

/** Throws a DomainError (`weak_password`) naming the rule a new password breaks. */
export function assertAcceptablePassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw RbacErrors.passwordTooShort(MIN_PASSWORD_LENGTH);
  }
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    throw RbacErrors.passwordTooLong(MAX_PASSWORD_BYTES);
  }
  if (password.trim().length === 0) {
    throw RbacErrors.passwordOnlySpaces();
  }
}
