import { DomainError } from '../../../shared/core/domain-error';

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt only reads the first 72 bytes; a longer password would silently lose its tail. */
export const MAX_PASSWORD_BYTES = 72;

/** Throws a DomainError (`weak_password`) naming the rule a new password breaks. */
export function assertAcceptablePassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('weak_password', `Passwords must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    throw new DomainError('weak_password', `Passwords can be at most ${MAX_PASSWORD_BYTES} bytes long.`);
  }
  if (password.trim().length === 0) {
    throw new DomainError('weak_password', 'Passwords cannot be only spaces.');
  }
}
