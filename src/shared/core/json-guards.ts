/**
 * Guards for values read from JSON (jsonb columns, config files, posted bodies, job payloads),
 * where the type says `unknown` and a stray null, array or string must not pass as an object.
 */

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a JSON object, or null when it is anything else. */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null;
}

/** The JSON objects in an array, skipping anything else; [] when the value is no array. */
export function recordsIn(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The value when it is a string, or null. */
export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
