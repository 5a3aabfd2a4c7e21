import { isRecord } from '../../../shared/core/json-guards';
import { isUuid } from '../../../shared/core/uuid';
import { RUN_OUTCOMES, RUN_STATUSES } from '../../operations/core/operation-run';
import { ARCHIVED_CHOICES } from '../../operations/core/archived-environments';
import { PROBLEM_CLASSES } from '../../operations/core/problem-class';
import { RUN_TABS } from '../../operations/core/run-tabs';
import { BulkRunErrors } from './bulk-runs-errors';
import { MAX_FAN_OUT_ENVIRONMENTS } from './bulk-run-types';

/** The filter keys a bulk run stores: the hub list's query parameters without paging. */
export const BULK_FILTER_KEYS = ['tab', 'environment', 'archived', 'type', 'status', 'outcome', 'problem_class', 'initiator', 'from', 'to'] as const;
/** Checked against the hub's value rules: it reads as the hub's `RunFilterParams`. */
export type BulkFilter = Partial<Record<(typeof BULK_FILTER_KEYS)[number], string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The hub's own value rules (its query DTO), so a stored filter means what the hub's view meant. */
const VALUE_RULES: Partial<Record<(typeof BULK_FILTER_KEYS)[number], { ok: (v: string) => boolean; expected: string }>> = {
  tab: { ok: (v) => (RUN_TABS as readonly string[]).includes(v), expected: `one of: ${RUN_TABS.join(', ')}` },
  archived: { ok: (v) => (ARCHIVED_CHOICES as readonly string[]).includes(v), expected: `one of: ${ARCHIVED_CHOICES.join(', ')}` },
  status: { ok: (v) => (RUN_STATUSES as readonly string[]).includes(v), expected: `one of: ${RUN_STATUSES.join(', ')}` },
  outcome: { ok: (v) => (RUN_OUTCOMES as readonly string[]).includes(v), expected: `one of: ${RUN_OUTCOMES.join(', ')}` },
  problem_class: { ok: (v) => (PROBLEM_CLASSES as readonly string[]).includes(v), expected: `one of: ${PROBLEM_CLASSES.join(', ')}` },
  initiator: { ok: isUuid, expected: 'a user id (UUID)' },
  from: { ok: (v) => DAY.test(v), expected: 'a day written YYYY-MM-DD' },
  to: { ok: (v) => DAY.test(v), expected: 'a day written YYYY-MM-DD' },
};

export interface BulkInput {
  filter: BulkFilter;
}

export interface FanOutInput {
  type: string;
  environments: 'all' | string[];
  input: Record<string, unknown>;
}

const MAX_VALUE = 100;

/**
 * A bulk run's stored input: `{ filter }` with only hub filter keys and short text values (the
 * values themselves are checked where they are resolved, like the hub's own query). Keys are
 * sorted so identical views dedupe to one active bulk run.
 */
export function parseBulkInput(type: string, raw: unknown): BulkInput {
  if (!isRecord(raw)) throw BulkRunErrors.inputNotObject(type);
  for (const key of Object.keys(raw)) if (key !== 'filter') throw BulkRunErrors.unknownInputKey(type, key);
  return { filter: parseBulkFilter(raw.filter ?? {}) };
}

export function parseBulkFilter(raw: unknown): BulkFilter {
  if (!isRecord(raw)) throw BulkRunErrors.filterNotObject();
  const filter: BulkFilter = {};
  for (const key of Object.keys(raw).sort()) {
    if (!(BULK_FILTER_KEYS as readonly string[]).includes(key)) throw BulkRunErrors.unknownFilterKey(key, BULK_FILTER_KEYS);
    const value = raw[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > MAX_VALUE || value.includes('\0')) throw BulkRunErrors.filterValueNotText(key);
    const rule = VALUE_RULES[key as keyof typeof VALUE_RULES];
    if (rule && !rule.ok(value)) throw BulkRunErrors.filterValueInvalid(key, rule.expected);
    (filter as Record<string, string>)[key] = value;
  }
  return filter;
}

/** A fan-out's stored input: the type to start, `"all"` or distinct slugs, and that type's own input. */
export function parseFanOutInput(type: string, raw: unknown): FanOutInput {
  if (!isRecord(raw)) throw BulkRunErrors.inputNotObject(type);
  for (const key of Object.keys(raw)) {
    if (!['type', 'environments', 'input'].includes(key)) throw BulkRunErrors.unknownInputKey(type, key);
  }
  if (typeof raw.type !== 'string' || raw.type.trim() === '' || raw.type.length > MAX_VALUE) throw BulkRunErrors.fanOutTypeMissing();
  const environments = raw.environments ?? 'all';
  const slugs =
    environments === 'all'
      ? 'all'
      : Array.isArray(environments) &&
          environments.length > 0 &&
          environments.length <= MAX_FAN_OUT_ENVIRONMENTS &&
          environments.every((s) => typeof s === 'string' && s.length > 0 && s.length <= MAX_VALUE && !s.includes('\0')) &&
          new Set(environments).size === environments.length
        ? [...(environments as string[])].sort()
        : null;
  if (slugs === null) throw BulkRunErrors.fanOutEnvironments();
  const input = raw.input ?? {};
  if (!isRecord(input)) throw BulkRunErrors.inputNotObject(raw.type);
  return { type: raw.type, environments: slugs, input };
}
