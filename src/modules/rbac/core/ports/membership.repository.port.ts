import { Membership, MembershipRole } from '../membership';

export const MEMBERSHIP_REPOSITORY = Symbol('MEMBERSHIP_REPOSITORY');

export interface MembershipUpsert {
  userId: string;
  workspaceId: string;
  role: MembershipRole;
  /** Null: every environment of the workspace. */
  environmentIds: string[] | null;
}

export interface MembershipRepository {
  find(userId: string, workspaceId: string): Promise<Membership | null>;
  /** Creates or replaces (role and environment scope) the user's membership of the workspace, atomically. */
  upsert(membership: MembershipUpsert): Promise<Membership>;
}
