import { MembershipGrant } from './authorization-policy';
import { MEMBERSHIP_ROLES, MembershipRole } from './membership';
import { RbacErrors } from './rbac-errors';

/** One-time invitation links are valid this long. */
export const INVITATION_LIFETIME_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export function invitationExpiresAt(now: Date): Date {
  return new Date(now.getTime() + INVITATION_LIFETIME_DAYS * DAY_MS);
}

/** owner > manager > operator > readonly: the order MEMBERSHIP_ROLES lists them in. */
export function roleRank(role: string): number {
  const index = (MEMBERSHIP_ROLES as readonly string[]).indexOf(role);
  // A role this version does not know ranks below every known one.
  return index < 0 ? -1 : MEMBERSHIP_ROLES.length - index;
}

/** Null: every environment of the workspace; else environment ids. */
export type EnvironmentScope = string[] | null;

export interface MembershipGrantChange {
  /** The role and scope being granted. */
  role: MembershipRole;
  environmentIds: EnvironmentScope;
  /** The target's membership before the change; null when there is none (an add or an invitation). */
  current?: { role: string; environmentIds: EnvironmentScope } | null;
}

/**
 * Nobody grants a role above their own or a scope outside their own, and nobody changes or
 * removes a member who holds more than they do (a higher role, or environments they do not have):
 * a member limited to some environments cannot widen anyone's scope. Throws role_above_yours or
 * scope_outside_yours (both 403).
 */
export function assertMayGrant(actor: MembershipGrant, change: MembershipGrantChange): void {
  assertWithin(actor, change.role, change.environmentIds);
  if (change.current) assertWithin(actor, change.current.role, change.current.environmentIds);
}

/** Removing a member: the caller must hold at least what the member holds. */
export function assertMayRemove(actor: MembershipGrant, current: { role: string; environmentIds: EnvironmentScope }): void {
  assertWithin(actor, current.role, current.environmentIds);
}

function assertWithin(actor: MembershipGrant, role: string, environmentIds: EnvironmentScope): void {
  if (roleRank(role) > roleRank(actor.role)) throw RbacErrors.roleAboveYours(role);
  if (actor.environmentIds === 'all') return;
  const own = new Set(actor.environmentIds);
  if (environmentIds === null || environmentIds.some((id) => !own.has(id))) throw RbacErrors.scopeOutsideYours();
}

/** Would the workspace keep an owner if `userId` stopped being one? `owners` are the current owners' user ids. */
export function keepsAnOwner(owners: readonly string[], userId: string, nextRole: MembershipRole | null): boolean {
  if (nextRole === 'owner' || !owners.includes(userId)) return true;
  return owners.some((id) => id !== userId);
}
