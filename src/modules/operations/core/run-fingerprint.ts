import { sha256Hex, stableStringify } from '../../../shared/core/stable-json';

/** Dedupe identity of a start request: same type, scope and inputs → same fingerprint. */
export function computeRunFingerprint(parts: {
  type: string;
  workspaceId: string;
  environmentId: string | null;
  basis: unknown;
}): string {
  return sha256Hex(stableStringify([parts.type, parts.workspaceId, parts.environmentId, parts.basis]));
}
