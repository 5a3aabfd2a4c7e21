import { RbacErrors } from './rbac-errors';

export const MEMBERSHIP_ROLES = ['owner', 'manager', 'operator', 'readonly'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export function isMembershipRole(value: unknown): value is MembershipRole {
  return typeof value === 'string' && (MEMBERSHIP_ROLES as readonly string[]).includes(value);
}

export function parseMembershipRole(value: string): MembershipRole {
  if (isMembershipRole(value)) return value;
  throw RbacErrors.unknownRole(value, MEMBERSHIP_ROLES);
}

/**
 * User × workspace × role. `environmentIds` is null when the membership covers every environment
 * of the workspace (all_environments), else the entitled subset.
 */
export interface Membership {
  id: string;
  userId: string;
  workspaceId: string;
  role: MembershipRole;
  environmentIds: string[] | null;
}

export type MembershipChange = 'added' | 'role_changed' | 'scope_changed' | 'unchanged';

/** What an upsert did, compared with the membership before it. */
export function describeMembershipChange(
  previous: Pick<Membership, 'role' | 'environmentIds'> | null,
  next: Pick<Membership, 'role' | 'environmentIds'>,
): MembershipChange {
  if (!previous) return 'added';
  if (previous.role !== next.role) return 'role_changed';
  return sameScope(previous.environmentIds, next.environmentIds) ? 'unchanged' : 'scope_changed';
}

function sameScope(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((id, i) => id === right[i]);
}
