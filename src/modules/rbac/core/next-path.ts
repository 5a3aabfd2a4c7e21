/**
 * Where to go after sign-in. Only a same-site path is accepted: it must start with exactly one
 * "/" (so "//evil.com" and "/\evil.com", which browsers treat as other hosts, are refused), and
 * contain no backslash, whitespace or control character. Anything else means "/".
 */
export const DEFAULT_NEXT_PATH = '/';
const MAX_NEXT_LENGTH = 2048;

export function sanitizeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_NEXT_LENGTH) return DEFAULT_NEXT_PATH;
  if (!raw.startsWith('/') || raw.startsWith('//')) return DEFAULT_NEXT_PATH;
  // eslint-disable-next-line no-control-regex
  if (/[\\\s\x00-\x1f\x7f]/.test(raw)) return DEFAULT_NEXT_PATH;
  return raw;
}
