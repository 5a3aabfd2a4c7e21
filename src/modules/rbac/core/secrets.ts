import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes as base64url: 43 characters, no padding (session ids, CSRF tokens, API tokens). */
export const SECRET_BYTES = 32;
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function randomSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Secrets are stored only as their sha256 (hex), so a leaked table cannot be replayed. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
