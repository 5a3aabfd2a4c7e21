import { findCatalogConflicts } from './operation-catalog';
import {
  BackoffPolicy,
  LifecyclePolicy,
  OperationTypeDefinition,
  PhaseDefinition,
  PROGRESS_MODES,
  ProgressMode,
} from './operation-type';
import { isRecord } from '../../../shared/core/json-guards';

/**
 * Reading the operation catalog (config/operation-catalog.json) and lifecycle overrides into
 * typed definitions. Every problem becomes one readable line naming the type and field, and all
 * lines are collected: an operator fixing a config file should see everything wrong at once.
 */

/** The policy's durations, in seconds: each must be a positive number. */
export const DURATION_KEYS = [
  'expected_duration_s',
  'heartbeat_s',
  'stale_queued_after_s',
  'stale_running_after_s',
  'job_timeout_s',
] as const;
// No `terminal_truth_path`: the failed-job bridge finalizes every type's last failure and the
// reconciler covers every type's lost jobs, so such a switch would have nothing honest to choose.
const POLICY_KEYS = [...DURATION_KEYS, 'max_attempts', 'backoff'] as const;
const BACKOFF_KEYS = ['type', 'delay_s'] as const;
const BACKOFF_TYPES = ['fixed', 'exponential'] as const;
const TYPE_KEYS = [
  'label',
  'module',
  'capability',
  'progress_mode',
  'aliases',
  'phases',
  'composite_unit',
  'level',
  'policy',
];
const PHASE_KEYS = ['key', 'label'];

type PolicyPatch = Partial<Omit<LifecyclePolicy, 'backoff'>> & { backoff?: Partial<BackoffPolicy> };

/**
 * Longest wait before a retry, in seconds. A run waiting out a backoff has no heartbeat, so its
 * stale window must be at least this long. BullMQ's exponential delay is delay * 2^(attemptsMade-1)
 * and the last retry follows failure number max_attempts - 1.
 */
export function longestBackoffS(policy: LifecyclePolicy): number {
  if (policy.max_attempts <= 1) return 0;
  const { type, delay_s } = policy.backoff;
  return type === 'fixed' ? delay_s : delay_s * 2 ** (policy.max_attempts - 2);
}

export function parseOperationCatalogConfig(raw: unknown): {
  definitions: OperationTypeDefinition[];
  errors: string[];
} {
  const errors: string[] = [];
  if (!isRecord(raw)) {
    return { definitions: [], errors: ['operation catalog must be a JSON object with a "types" object'] };
  }
  errors.push(...unknownKeys(raw, ['types'], 'operation catalog: '));
  if (!isRecord(raw.types) || Object.keys(raw.types).length === 0) {
    errors.push('operation catalog: types must be an object declaring at least one operation type');
    return { definitions: [], errors };
  }
  const definitions: OperationTypeDefinition[] = [];
  for (const [type, spec] of Object.entries(raw.types)) {
    const before = errors.length;
    const def = parseType(type, spec, errors);
    // Only clean types go on to the invariant checks, so one typo does not cascade.
    if (def && errors.length === before) definitions.push(def);
  }
  errors.push(...findCatalogConflicts(definitions));
  return { definitions, errors };
}

/**
 * Applies OPS_LIFECYCLE_OVERRIDES (object keyed by canonical type or alias → partial policy).
 * Valid fields are applied even when others are rejected; callers refuse to boot on any error.
 */
export function applyPolicyOverrides(
  definitions: OperationTypeDefinition[],
  overrides: unknown,
  source = 'OPS_LIFECYCLE_OVERRIDES',
): { definitions: OperationTypeDefinition[]; errors: string[] } {
  if (overrides === null || overrides === undefined) return { definitions: [...definitions], errors: [] };
  if (!isRecord(overrides)) {
    return { definitions: [...definitions], errors: [`${source} must be an object keyed by operation type`] };
  }
  const errors: string[] = [];
  const byName = new Map<string, OperationTypeDefinition>();
  for (const def of definitions) for (const n of [def.type, ...def.aliases]) byName.set(n, def);
  const patches = new Map<string, { key: string; patch: PolicyPatch }>();
  for (const [key, value] of Object.entries(overrides)) {
    const def = byName.get(key);
    if (!def) {
      const known = definitions.map((d) => d.type).sort().join(', ');
      errors.push(`${source}: unknown operation type "${key}" (known types: ${known})`);
      continue;
    }
    const earlier = patches.get(def.type);
    if (earlier) {
      errors.push(`${source}: ${def.type} is overridden twice (as "${earlier.key}" and "${key}")`);
      continue;
    }
    if (!isRecord(value)) {
      errors.push(`${source}: ${key} must be an object of policy fields`);
      continue;
    }
    patches.set(def.type, { key, patch: readPolicy(value, `${source}: ${key}: `, true, errors) });
  }
  const result = definitions.map((def) => {
    const entry = patches.get(def.type);
    if (!entry) return def;
    const { backoff, ...rest } = entry.patch;
    return { ...def, policy: { ...def.policy, ...rest, backoff: { ...def.policy.backoff, ...backoff } } };
  });
  return { definitions: result, errors };
}

function parseType(type: string, spec: unknown, errors: string[]): OperationTypeDefinition | null {
  if (!isName(type)) errors.push(`"${type}": type names must be non-empty and contain no spaces`);
  if (!isRecord(spec)) {
    errors.push(`${type}: must be an object`);
    return null;
  }
  const at = `${type}: `;
  errors.push(...unknownKeys(spec, TYPE_KEYS, at));
  for (const key of ['label', 'module', 'capability']) {
    if (!isNonEmptyString(spec[key])) errors.push(`${at}${key} must be a non-empty string`);
  }
  const mode = spec.progress_mode;
  if (!(PROGRESS_MODES as readonly unknown[]).includes(mode)) {
    errors.push(`${at}progress_mode must be one of ${PROGRESS_MODES.join(', ')}`);
  }
  // aliases and phases may be omitted: most types have neither.
  const aliases = spec.aliases ?? [];
  if (!Array.isArray(aliases) || !aliases.every(isName)) {
    errors.push(`${at}aliases must be an array of non-empty names without spaces`);
  }
  const phases = parsePhases(spec.phases ?? [], mode as ProgressMode, at, errors);
  const compositeUnit = spec.composite_unit;
  if (compositeUnit !== undefined) {
    if (!isNonEmptyString(compositeUnit)) {
      errors.push(`${at}composite_unit must be a non-empty string, e.g. "evidence sections"`);
    } else if (mode !== 'composite') {
      errors.push(`${at}composite_unit is only allowed when progress_mode is composite`);
    }
  }
  const level = spec.level;
  if (level !== undefined && level !== 'environment' && level !== 'workspace') {
    errors.push(`${at}level must be "environment" or "workspace"`);
  }
  if (spec.policy === undefined) {
    errors.push(`${at}no lifecycle policy (policy is required)`);
    return null;
  }
  if (!isRecord(spec.policy)) {
    errors.push(`${at}policy must be an object`);
    return null;
  }
  const policy = readPolicy(spec.policy, `${at}policy.`, false, errors) as LifecyclePolicy;
  return {
    type,
    label: spec.label as string,
    module: spec.module as string,
    capability: spec.capability as string,
    progress_mode: mode as ProgressMode,
    aliases: aliases as string[],
    phases,
    // Only set when declared, so definitions without it stay exactly as before.
    ...(isNonEmptyString(compositeUnit) ? { composite_unit: compositeUnit.trim() } : {}),
    ...(level === 'workspace' ? { level: 'workspace' as const } : {}),
    policy,
  };
}

function parsePhases(raw: unknown, mode: ProgressMode, at: string, errors: string[]): PhaseDefinition[] {
  if (!Array.isArray(raw)) {
    errors.push(`${at}phases must be an array of { key, label }`);
    return [];
  }
  const seen = new Set<string>();
  for (const [i, phase] of raw.entries()) {
    if (!isRecord(phase)) {
      errors.push(`${at}phases[${i}] must be an object with key and label`);
      continue;
    }
    errors.push(...unknownKeys(phase, PHASE_KEYS, `${at}phases[${i}].`));
    for (const k of PHASE_KEYS) {
      if (!isNonEmptyString(phase[k])) errors.push(`${at}phases[${i}].${k} must be a non-empty string`);
    }
    if (typeof phase.key !== 'string') continue;
    if (seen.has(phase.key)) errors.push(`${at}phases[${i}].key "${phase.key}" is declared twice`);
    seen.add(phase.key);
  }
  if (mode === 'phased' && raw.length === 0) errors.push(`${at}a phased type needs at least one phase`);
  if (mode !== 'phased' && raw.length > 0) errors.push(`${at}phases are only allowed when progress_mode is phased`);
  return raw as PhaseDefinition[];
}

/** Reads a full policy (`partial` false: every key required) or an override patch. */
function readPolicy(raw: Record<string, unknown>, at: string, partial: boolean, errors: string[]): PolicyPatch {
  // Unknown keys are errors: a typo would otherwise silently keep the default.
  errors.push(...unknownKeys(raw, POLICY_KEYS, at));
  const out: PolicyPatch = {};
  for (const key of POLICY_KEYS) {
    const value = raw[key];
    if (value === undefined) {
      if (!partial) errors.push(`${at}${key} is required`);
      continue;
    }
    if (key === 'backoff') {
      const backoff = readBackoff(value, `${at}backoff`, partial, errors);
      if (backoff) out.backoff = backoff;
    } else if (key === 'max_attempts') {
      if (Number.isInteger(value) && (value as number) >= 1) out.max_attempts = value as number;
      else errors.push(`${at}max_attempts must be an integer of at least 1`);
    } else if (isPositiveNumber(value)) {
      out[key] = value;
    } else errors.push(`${at}${key} must be a positive number`);
  }
  return out;
}

function readBackoff(raw: unknown, at: string, partial: boolean, errors: string[]): Partial<BackoffPolicy> | null {
  if (!isRecord(raw)) {
    errors.push(`${at} must be an object with type and delay_s`);
    return null;
  }
  errors.push(...unknownKeys(raw, BACKOFF_KEYS, `${at}.`));
  const out: Partial<BackoffPolicy> = {};
  if (raw.type === undefined) {
    if (!partial) errors.push(`${at}.type is required`);
  } else if ((BACKOFF_TYPES as readonly unknown[]).includes(raw.type)) {
    out.type = raw.type as BackoffPolicy['type'];
  } else errors.push(`${at}.type must be one of ${BACKOFF_TYPES.join(', ')}`);
  if (raw.delay_s === undefined) {
    if (!partial) errors.push(`${at}.delay_s is required`);
  } else if (isPositiveNumber(raw.delay_s)) out.delay_s = raw.delay_s;
  else errors.push(`${at}.delay_s must be a positive number`);
  return out;
}

function unknownKeys(rec: Record<string, unknown>, known: readonly string[], at: string): string[] {
  return Object.keys(rec)
    .filter((k) => !known.includes(k))
    .map((k) => `${at}${k} is not a known field (expected one of ${known.join(', ')})`);
}

const isPositiveNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isName = (v: unknown): v is string => typeof v === 'string' && /^\S+$/.test(v);
