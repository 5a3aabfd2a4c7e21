import { MembershipGrant } from '../authorization-policy';

export const MEMBERSHIP_GRANTS = Symbol('MEMBERSHIP_GRANTS');

/** Reads what a user's memberships grant, fresh on every call (a removed membership counts at once). */
export interface MembershipGrants {
  grantsOf(userId: string): Promise<MembershipGrant[]>;
}
