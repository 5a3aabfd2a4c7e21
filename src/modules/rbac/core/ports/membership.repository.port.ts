import { Membership, MembershipRole } from '../membership';

export const MEMBERSHIP_REPOSITORY = Symbol('MEMBERSHIP_REPOSITORY');

export interface MembershipUpsert {
  userId: string;
  workspaceId: string;
  role: MembershipRole;
  /** Null: every environment of the workspace. */
  environmentIds: string[] | null;
}

/** A member of a workspace with the user's profile, for the members list. */
export interface WorkspaceMember {
  userId: string;
  email: string;
  displayName: string;
  role: MembershipRole;
  /** Null: every environment of the workspace. */
  environmentIds: string[] | null;
}

/** What a guarded change sees, read under the workspace's membership lock. */
export interface MembershipChangeState {
  /** The target user's membership of the workspace, or null. */
  current: Membership | null;
  /** User ids of the workspace's owners. */
  ownerIds: string[];
}

export type MembershipChangeNext = Omit<MembershipUpsert, 'userId' | 'workspaceId'>;

export interface MembershipRepository {
  find(userId: string, workspaceId: string): Promise<Membership | null>;
  /** Creates or replaces (role and environment scope) the user's membership of the workspace, atomically. */
  upsert(membership: MembershipUpsert): Promise<Membership>;
  /** Members of the workspace, owners first then by email. */
  listOfWorkspace(workspaceId: string): Promise<WorkspaceMember[]>;
  /**
   * Writes the user's membership as `decide` says — the next role and scope, or null to remove it —
   * in one transaction that first locks the workspace against other membership changes, so
   * `decide` (which throws to refuse, changing nothing) sees owners no concurrent change can alter
   * before this one commits: of two concurrent demotions of the last two owners, the second sees
   * one owner left. Answers the membership before and after.
   */
  changeGuarded(
    workspaceId: string,
    userId: string,
    decide: (state: MembershipChangeState) => MembershipChangeNext | null,
  ): Promise<{ previous: Membership | null; saved: Membership | null }>;
}
