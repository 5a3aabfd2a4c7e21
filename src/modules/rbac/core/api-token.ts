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
