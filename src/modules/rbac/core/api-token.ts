import { RbacErrors } from './rbac-errors';
import { randomSecret, SECRET_PATTERN, sha256Hex } from './secrets';

/**
 * Personal API tokens: `odk_` + 43 base64url characters (32 random bytes). The prefix makes a
 * leaked token recognisable (secret scanners, logs); only `hashApiToken(token)` is stored.
 */
export const API_TOKEN_PREFIX = 'odk_';
const API_TOKEN_PATTERN = new RegExp(`^${API_TOKEN_PREFIX}${SECRET_PATTERN.source.slice(1, -1)}$`);

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomSecret()}`;
}

/** sha256 hex of the whole token (prefix included): the value kept in api_tokens.token_hash. */
export function hashApiToken(token: string): string {
  return sha256Hex(token);
}

/** Cheap shape check before any database lookup. */
export function looksLikeApiToken(token: string): boolean {
  return API_TOKEN_PATTERN.test(token);
}

export const MAX_TOKEN_NAME_LENGTH = 100;
/** The longest lifetime a token may be given; a token created without one never expires. */
export const MAX_TOKEN_LIFETIME_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The token's label, trimmed; blank or longer than the limit is refused (`invalid_token_name`). */
export function cleanTokenName(name: string): string {
  const label = name.trim();
  if (!label || label.length > MAX_TOKEN_NAME_LENGTH) throw RbacErrors.invalidTokenName(MAX_TOKEN_NAME_LENGTH);
  return label;
}

/**
 * When a token created at `now` to last `days` days stops working: exactly `days` × 24 h later.
 * No lifetime (null/undefined) → null, a token that never expires. Anything but a whole number
 * of days from 1 to MAX_TOKEN_LIFETIME_DAYS is refused (`invalid_token_expiry`).
 */
export function tokenExpiresAt(now: Date, days: number | null | undefined): Date | null {
  if (days === null || days === undefined) return null;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_LIFETIME_DAYS) {
    throw RbacErrors.invalidTokenLifetime(MAX_TOKEN_LIFETIME_DAYS);
  }
  return new Date(now.getTime() + days * DAY_MS);
}

/**
 * A token is expired from its expiry instant on (the instant itself included); one without an
 * expiry never is. The token lookup applies the same rule in SQL (`expires_at > now`).
 */
export function isTokenExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && now.getTime() >= expiresAt.getTime();
}
