import { stableStringify } from '../../../shared/core/stable-json';
import { BaselineRules, KindRules, rulesForKind, SECRET_MASK } from './baseline-rules';
import { isRecord } from '../../../shared/core/json-guards';

/** A policy item ready to compare: `normalized` is the output of `normalizeSettings`. */
export interface ComparableItem {
  kind: string;
  external_id: string;
  display_name: string;
  normalized: Record<string, unknown>;
}

export type FindingType = 'missing_in_target' | 'unexpected_in_target' | 'setting_differs';

export const FINDING_TYPES: readonly FindingType[] = ['missing_in_target', 'unexpected_in_target', 'setting_differs'];

/**
 * One changed setting. `path` is dotted from the settings root (`defender.cloudBlockLevel`), with
 * `[i]` for elements of ordered arrays. A side where the setting does not exist is `undefined`
 * (left out when serialized). Secret values are replaced by SECRET_MASK.
 * Special case: a changed display name is reported at path `display_name`.
 */
export interface SettingChange {
  path: string;
  before: unknown;
  after: unknown;
}

/**
 * `missing_in_target` names the baseline item; `unexpected_in_target` and `setting_differs` name
 * the target's (current) item, since that is the object an operator would go and fix.
 */
export interface DriftFinding {
  type: FindingType;
  kind: string;
  external_id: string;
  display_name: string;
  changes?: SettingChange[];
}

/** `key` = kind + '/' + external_id of the baseline item if present, else of the current item. */
export interface MatchedPair {
  key: string;
  baseline?: ComparableItem;
  current?: ComparableItem;
}

/** Path used for a display-name change in `diffItem` (settings paths never start at this name in Graph). */
const DISPLAY_NAME_PATH = 'display_name';

/**
 * Pairs baseline and current items: first by (kind, external_id); then, for kinds whose rules say
 * `match_by_display_name`, the still-unmatched items by (kind, display_name) when that name is
 * unique among the unmatched items of that kind on both sides. Sorted by key (ties, which only
 * duplicate ids can cause, broken by content) so the same inputs always give the same list.
 */
export function matchItems(baseline: ComparableItem[], current: ComparableItem[], rules: BaselineRules): MatchedPair[] {
  const pairs: MatchedPair[] = [];
  const currentById = new Map<string, ComparableItem[]>();
  for (const item of current) push(currentById, idKey(item), item);

  const unmatchedBaseline: ComparableItem[] = [];
  for (const item of baseline) {
    const candidates = currentById.get(idKey(item));
    const match = candidates?.shift();
    if (match) pairs.push({ key: pairKey(item), baseline: item, current: match });
    else unmatchedBaseline.push(item);
  }
  const unmatchedCurrent = current.filter((item) => {
    const left = currentById.get(idKey(item));
    return left !== undefined && left.includes(item);
  });

  const byNameKinds = new Set(
    [...unmatchedBaseline, ...unmatchedCurrent]
      .map((item) => item.kind)
      .filter((kind) => rulesForKind(rules, kind).match_by_display_name),
  );
  const baselineByName = new Map<string, ComparableItem[]>();
  const currentByName = new Map<string, ComparableItem[]>();
  for (const item of unmatchedBaseline) if (byNameKinds.has(item.kind)) push(baselineByName, nameKey(item), item);
  for (const item of unmatchedCurrent) if (byNameKinds.has(item.kind)) push(currentByName, nameKey(item), item);

  const matchedByName = new Set<ComparableItem>();
  for (const [name, fromBaseline] of baselineByName) {
    const fromCurrent = currentByName.get(name);
    if (fromBaseline.length !== 1 || fromCurrent?.length !== 1) continue; // ambiguous or absent
    pairs.push({ key: pairKey(fromBaseline[0]), baseline: fromBaseline[0], current: fromCurrent[0] });
    matchedByName.add(fromBaseline[0]).add(fromCurrent[0]);
  }
  for (const item of unmatchedBaseline) if (!matchedByName.has(item)) pairs.push({ key: pairKey(item), baseline: item });
  for (const item of unmatchedCurrent) if (!matchedByName.has(item)) pairs.push({ key: pairKey(item), current: item });

  const tie = (pair: MatchedPair) => stableStringify([pair.baseline ?? null, pair.current ?? null]);
  return pairs.sort((a, b) => compareText(a.key, b.key) || compareText(tie(a), tie(b)));
}

/**
 * Every changed leaf between two matched items, sorted by path. Objects are walked key by key;
 * ordered arrays element by element (`path[i]`); an unordered array that differs is one change at
 * the array's path; a type change is one change at its path. Values at (or containing) secret
 * paths are masked on both sides — the change is still reported.
 */
export function diffItem(baseline: ComparableItem, current: ComparableItem, rules: BaselineRules): SettingChange[] {
  const kindRules = rulesForKind(rules, current.kind);
  const changes: SettingChange[] = [];
  if (baseline.display_name !== current.display_name) {
    changes.push({ path: DISPLAY_NAME_PATH, before: baseline.display_name, after: current.display_name });
  }
  diffValue(baseline.normalized, current.normalized, '', '', kindRules, changes);
  return changes.sort((a, b) => comparePaths(a.path, b.path));
}

export function findingForPair(pair: MatchedPair, rules: BaselineRules): DriftFinding | null {
  const { baseline, current } = pair;
  if (baseline && !current) return finding('missing_in_target', baseline);
  if (current && !baseline) return finding('unexpected_in_target', current);
  if (!baseline || !current) return null;
  const changes = diffItem(baseline, current, rules);
  return changes.length > 0 ? { ...finding('setting_differs', current), changes } : null;
}

export function compareInventories(
  baseline: ComparableItem[],
  current: ComparableItem[],
  rules: BaselineRules,
): DriftFinding[] {
  return matchItems(baseline, current, rules)
    .map((pair) => findingForPair(pair, rules))
    .filter((f): f is DriftFinding => f !== null);
}

// ---------------------------------------------------------------------------------------------

function finding(type: FindingType, item: ComparableItem): DriftFinding {
  return { type, kind: item.kind, external_id: item.external_id, display_name: item.display_name };
}

/**
 * `path` is the reported path (with indices), `schema` the same without indices — the form rules
 * use. `undefined` stands for "absent on this side".
 */
function diffValue(before: unknown, after: unknown, path: string, schema: string, rules: KindRules, out: SettingChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (rules.unordered_arrays.includes(schema)) {
      if (stableStringify(before) !== stableStringify(after)) out.push(change(path, schema, before, after, rules));
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      diffValue(
        i < before.length ? before[i] : undefined,
        i < after.length ? after[i] : undefined,
        `${path}[${i}]`,
        schema,
        rules,
        out,
      );
    }
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) {
      diffValue(before[key], after[key], join(path, key), join(schema, key), rules, out);
    }
    return;
  }
  if (before === undefined && after === undefined) return;
  if (stableStringify(before) === stableStringify(after)) return;
  out.push(change(path, schema, before, after, rules));
}

function change(path: string, schema: string, before: unknown, after: unknown, rules: KindRules): SettingChange {
  return { path, before: maskSecrets(before, schema, rules), after: maskSecrets(after, schema, rules) };
}

/** Masks the value itself if it sits at/below a secret path, else any secret found inside it. */
function maskSecrets(value: unknown, schema: string, rules: KindRules): unknown {
  if (value === undefined) return undefined;
  if (rules.secret_settings.some((secret) => schema === secret || schema.startsWith(`${secret}.`))) return SECRET_MASK;
  if (Array.isArray(value)) return value.map((element) => maskSecrets(element, schema, rules));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = maskSecrets(child, join(schema, key), rules);
    return out;
  }
  return value;
}

function idKey(item: ComparableItem): string {
  return JSON.stringify([item.kind, item.external_id]);
}

function nameKey(item: ComparableItem): string {
  return JSON.stringify([item.kind, item.display_name]);
}

function pairKey(item: ComparableItem): string {
  return `${item.kind}/${item.external_id}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Path order with array indices compared as numbers (`a[2]` before `a[10]`). */
function comparePaths(a: string, b: string): number {
  const ta = a.split(/(\d+)/);
  const tb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    const numeric = i % 2 === 1; // split with a capture group alternates text, digits, text…
    return numeric ? Number(ta[i]) - Number(tb[i]) || compareText(ta[i], tb[i]) : compareText(ta[i], tb[i]);
  }
  return ta.length - tb.length;
}
