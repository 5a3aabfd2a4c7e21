import { sha256Hex, stableStringify } from '../../../shared/core/stable-json';
import { BaselineRules, rulesForKind } from './baseline-rules';
import { isRecord } from '../../../shared/core/json-guards';

/**
 * Deterministic normal form of a policy's settings, so the same content gives the same hash on
 * every run and machine:
 * - volatile keys (the kind's volatile fields, global prefixes like `@odata.`) are dropped at any
 *   depth, including inside arrays of objects;
 * - object keys are sorted at every depth;
 * - arrays at the kind's unordered paths (dotted from the settings root, indices left out) are
 *   sorted by the stable JSON of their already-normalized elements; other arrays keep their order.
 * The input is never mutated; the result shares no objects with it.
 */
export function normalizeSettings(
  settings: Record<string, unknown>,
  kind: string,
  rules: BaselineRules,
): Record<string, unknown> {
  const kindRules = rulesForKind(rules, kind);
  const context: Context = {
    volatileFields: new Set(kindRules.volatile_fields),
    volatilePrefixes: rules.volatile_prefixes,
    unordered: new Set(kindRules.unordered_arrays),
  };
  return normalizeObject(settings, '', context);
}

/** sha256 of the stable JSON of {kind, display_name, normalized}; external_id is identity, not content. */
export function normalizedItemHash(item: { kind: string; display_name: string; normalized: Record<string, unknown> }): string {
  return sha256Hex(stableStringify({ kind: item.kind, display_name: item.display_name, normalized: item.normalized }));
}

interface Context {
  volatileFields: Set<string>;
  volatilePrefixes: string[];
  unordered: Set<string>;
}

function normalizeValue(value: unknown, path: string, context: Context): unknown {
  if (Array.isArray(value)) {
    // Elements share the array's path: rules name places "in every element", not by index.
    const items = value.map((element) => normalizeValue(element, path, context));
    if (!context.unordered.has(path)) return items;
    return items
      .map((element) => ({ element, key: stableStringify(element) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ element }) => element);
  }
  if (isPlainObject(value)) return normalizeObject(value, path, context);
  return value;
}

function normalizeObject(value: Record<string, unknown>, path: string, context: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (isVolatile(key, context)) continue;
    const child = value[key];
    if (child === undefined) continue; // not representable in JSON; would make hashes disagree with storage
    out[key] = normalizeValue(child, path === '' ? key : `${path}.${key}`, context);
  }
  return out;
}

function isVolatile(key: string, context: Context): boolean {
  return context.volatileFields.has(key) || context.volatilePrefixes.some((prefix) => key.startsWith(prefix));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !(value instanceof Date);
}
