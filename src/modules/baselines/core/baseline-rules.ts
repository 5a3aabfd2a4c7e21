import { isRecord } from '../../../shared/core/json-guards';
import { BaselineErrors } from './baselines-errors';

/**
 * Per-kind normalization / compare rules (config/baselines.json).
 * - `volatile_fields`: key names stripped at any depth (global ones merged in by `rulesForKind`).
 * - `unordered_arrays` / `secret_settings`: dotted paths from the settings root, without array
 *   indices (`scheduledActionsForRule.scheduledActionConfigurations` names the array inside every
 *   element of `scheduledActionsForRule`).
 * - `match_by_display_name`: unmatched items fall back to (kind, display name) when unambiguous.
 */
export interface KindRules {
  volatile_fields: string[];
  unordered_arrays: string[];
  secret_settings: string[];
  match_by_display_name: boolean;
}

export interface BaselineRules {
  volatile_fields: string[];
  volatile_prefixes: string[];
  kinds: Record<string, Partial<KindRules>>;
}

/** What a masked secret looks like in drift findings (both before and after). */
export const SECRET_MASK = '••••••';

/** The floor: these are always volatile, so the config must list them. */
const REQUIRED_VOLATILE_FIELDS = ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'];
const REQUIRED_VOLATILE_PREFIXES = ['@odata.'];

const TOP_LEVEL_KEYS = new Set(['$comment', 'volatile_fields', 'volatile_prefixes', 'kinds']);
const KIND_KEYS = new Set(['$comment', 'volatile_fields', 'unordered_arrays', 'secret_settings', 'match_by_display_name']);
/** `a.b.c`: non-empty segments, no array indices (paths name a place in every element). */
const DOTTED_PATH = /^[^.[\]]+(\.[^.[\]]+)*$/;

/**
 * Strict parse of the baseline rules document. Every problem is collected and reported at once
 * (DomainError `invalid_baseline_rules`, problems also in `details.problems`).
 */
export function parseBaselineRules(raw: unknown): BaselineRules {
  const problems: string[] = [];
  if (!isRecord(raw)) {
    throw BaselineErrors.invalidRules(['the top level must be a JSON object']);
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.has(key)) problems.push(`unknown key "${key}"`);
  }
  const volatileFields = stringList(raw.volatile_fields, 'volatile_fields', problems, { required: true });
  const volatilePrefixes = stringList(raw.volatile_prefixes, 'volatile_prefixes', problems, { required: true });
  if (volatileFields) {
    for (const field of REQUIRED_VOLATILE_FIELDS) {
      if (!volatileFields.includes(field)) problems.push(`volatile_fields must include "${field}"`);
    }
  }
  if (volatilePrefixes) {
    for (const prefix of REQUIRED_VOLATILE_PREFIXES) {
      if (!volatilePrefixes.includes(prefix)) problems.push(`volatile_prefixes must include "${prefix}"`);
    }
  }

  const kinds: Record<string, Partial<KindRules>> = {};
  if (raw.kinds === undefined) {
    problems.push('kinds is required (an object of kind → rules)');
  } else if (!isRecord(raw.kinds)) {
    problems.push('kinds must be an object of kind → rules');
  } else {
    for (const [kind, value] of Object.entries(raw.kinds)) {
      const where = `kinds.${kind}`;
      if (kind.trim() === '') {
        problems.push('kinds has an empty kind name');
        continue;
      }
      if (kind === '__proto__') {
        problems.push('kinds has the reserved kind name "__proto__"');
        continue;
      }
      if (!isRecord(value)) {
        problems.push(`${where} must be an object`);
        continue;
      }
      for (const key of Object.keys(value)) {
        if (!KIND_KEYS.has(key)) problems.push(`${where} has unknown key "${key}"`);
      }
      const kindRules: Partial<KindRules> = {};
      const volatile = stringList(value.volatile_fields, `${where}.volatile_fields`, problems, { required: false });
      if (volatile) kindRules.volatile_fields = volatile;
      const unordered = stringList(value.unordered_arrays, `${where}.unordered_arrays`, problems, {
        required: false,
        dottedPaths: true,
      });
      if (unordered) kindRules.unordered_arrays = unordered;
      const secrets = stringList(value.secret_settings, `${where}.secret_settings`, problems, {
        required: false,
        dottedPaths: true,
      });
      if (secrets) kindRules.secret_settings = secrets;
      if (value.match_by_display_name !== undefined) {
        if (typeof value.match_by_display_name !== 'boolean') {
          problems.push(`${where}.match_by_display_name must be true or false`);
        } else {
          kindRules.match_by_display_name = value.match_by_display_name;
        }
      }
      kinds[kind] = kindRules;
    }
  }

  if (problems.length > 0) throw BaselineErrors.invalidRules(problems);
  return { volatile_fields: volatileFields ?? [], volatile_prefixes: volatilePrefixes ?? [], kinds };
}

/** Effective rules for one kind: global volatile fields plus the kind's; safe defaults for unknown kinds. */
export function rulesForKind(rules: BaselineRules, kind: string): KindRules {
  const own: Partial<KindRules> = Object.prototype.hasOwnProperty.call(rules.kinds, kind) ? rules.kinds[kind] : {};
  return {
    volatile_fields: unique([...rules.volatile_fields, ...(own.volatile_fields ?? [])]),
    unordered_arrays: unique(own.unordered_arrays ?? []),
    secret_settings: unique(own.secret_settings ?? []),
    match_by_display_name: own.match_by_display_name ?? false,
  };
}

function stringList(
  value: unknown,
  where: string,
  problems: string[],
  options: { required: boolean; dottedPaths?: boolean },
): string[] | undefined {
  if (value === undefined) {
    if (options.required) problems.push(`${where} is required (a list of strings)`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`${where} must be a list of strings`);
    return undefined;
  }
  const before = problems.length;
  const seen = new Set<string>();
  value.forEach((entry: unknown, index: number) => {
    if (typeof entry !== 'string' || entry.trim() === '') {
      problems.push(`${where}[${index}] must be a non-empty string`);
      return;
    }
    if (options.dottedPaths && !DOTTED_PATH.test(entry)) {
      problems.push(`${where}[${index}] "${entry}" must be a dotted path like "a.b.c" (no array indices, no empty segments)`);
    }
    if (seen.has(entry)) problems.push(`${where} lists "${entry}" more than once`);
    seen.add(entry);
  });
  return problems.length === before ? (value as string[]).slice() : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
