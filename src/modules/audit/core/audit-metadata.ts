/** Keys whose values are never stored in the audit log, at any depth (compared case-insensitively). */
const SECRET_KEYS = new Set(['password', 'token', 'secret']);

/** A copy of `metadata` without secret-named keys, however deeply nested (arrays included). */
export function scrubAuditMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!metadata) return {};
  return scrubObject(metadata);
}

function scrubObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (SECRET_KEYS.has(key.toLowerCase())) continue;
    out[key] = scrubValue(entry);
  }
  return out;
}

function scrubValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return scrubObject(value as Record<string, unknown>);
  return value;
}
