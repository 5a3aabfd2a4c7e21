import { FindingView } from '../../application/baseline-read-models';
import { FINDING_TYPES, FindingType, SettingChange } from '../../core/drift';
import { FINDING_TYPE_LABELS } from '../../core/finding-type-labels';

export const FINDING_TYPE_OPTIONS = FINDING_TYPES.map((value) => ({ value, label: FINDING_TYPE_LABELS[value] }));

/** The fields of the profile form as entered (kept when the form comes back with errors). */
export interface BaselineFormValues {
  name: string;
  source_environment: string;
  policy_kinds: string[];
}

/**
 * Checkbox groups post a repeated field: the urlencoded parser (extended: false) gives an array
 * for two or more, a string for one, nothing for none ("every kind").
 */
export function policyKindsOf(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).map((k) => (typeof k === 'string' ? k : String(k)));
}

export function formValuesOf(body: Record<string, unknown>): BaselineFormValues {
  return {
    name: typeof body.name === 'string' ? body.name : '',
    source_environment: typeof body.source_environment === 'string' ? body.source_environment : '',
    policy_kinds: policyKindsOf(body.policy_kinds),
  };
}

/** One query value: repeated parameters keep the first, empty strings mean "not set". */
export function queryValue(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A setting value as text: strings as they are (a masked secret stays masked), the rest as JSON. */
export function settingText(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export interface FindingRow {
  id: string;
  type: FindingType;
  typeLabel: string;
  kind: string;
  displayName: string;
  externalId: string;
  changes: { path: string; before: string; after: string }[];
}

export function toFindingRow(finding: FindingView): FindingRow {
  return {
    id: finding.id,
    type: finding.type,
    typeLabel: FINDING_TYPE_LABELS[finding.type] ?? finding.type,
    kind: finding.kind,
    displayName: finding.display_name,
    externalId: finding.external_id,
    changes: (finding.changes ?? []).map((c: SettingChange) => ({
      path: c.path,
      before: settingText(c.before),
      after: settingText(c.after),
    })),
  };
}

/** `?a=1&b=2` of the set values only (used by filter and pager links). */
export function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
