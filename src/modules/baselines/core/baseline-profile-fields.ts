import { BaselineErrors } from './baselines-errors';

/** A profile's name as stored: trimmed, and never empty. */
export function cleanProfileName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw BaselineErrors.nameEmpty();
  return name;
}

/** Trimmed, deduplicated and sorted, so equal sets compare equal. */
export function cleanPolicyKinds(raw: string[]): string[] {
  return [...new Set(raw.map((k) => k.trim()))].sort();
}
