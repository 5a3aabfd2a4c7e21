import { MembershipRole } from '../membership';
import { NewUser } from './user.repository.port';

export const INVITATION_REPOSITORY = Symbol('INVITATION_REPOSITORY');

export interface NewInvitation {
  workspaceId: string;
  email: string;
  role: MembershipRole;
  /** Null: every environment of the workspace. */
  environmentIds: string[] | null;
  tokenHash: string;
  invitedBy: string | null;
  expiresAt: Date;
}

export interface Invitation {
  id: string;
  workspaceId: string;
  email: string;
  role: MembershipRole;
  environmentIds: string[] | null;
  createdAt: Date;
  expiresAt: Date;
  /** Who sent it; null once that user is deleted (or for invitations made without one). */
  invitedBy: { id: string; email: string } | null;
}

/** A usable invitation with its workspace, for the accept page. */
export interface InvitationWithWorkspace extends Invitation {
  workspace: { id: string; slug: string; name: string };
}

/** Which pending invitation of a workspace: by its id (API, page) or its email (CLI). */
export type InvitationTarget = { id: string } | { email: string };

export interface InvitationReplaced {
  invitation: Invitation;
  /** The invitations of the same email this one revoked (live or expired, never accepted ones). */
  replaced: Invitation[];
}

export type AcceptOutcome =
  | { kind: 'accepted'; invitation: InvitationWithWorkspace; userId: string; membershipId: string }
  | { kind: 'not_valid' }
  /** Someone signed up with the invited email since: nothing changed, the link stays usable. */
  | { kind: 'user_exists' };

export interface InvitationRepository {
  /**
   * In one transaction: locks the unaccepted, unrevoked invitations of the same email to the same
   * workspace, hands them to `mayReplace` (which throws to refuse, changing nothing), marks them
   * revoked at `now` (their links stop working) and stores the new one.
   */
  replacePending(invitation: NewInvitation, now: Date, mayReplace: (current: Invitation[]) => void): Promise<InvitationReplaced>;
  /** Not accepted, not revoked and not expired at `now`, oldest first. */
  listPending(workspaceId: string, now: Date): Promise<Invitation[]>;
  /** The workspace's invitation `target` names, when not accepted, not revoked and not expired at `now`. */
  findPending(workspaceId: string, target: InvitationTarget, now: Date): Promise<Invitation | null>;
  /** Marks the invitation revoked at `now` if it is still pending then; false when it no longer is (accepted or revoked meanwhile). */
  revoke(id: string, now: Date): Promise<boolean>;
  /** The invitation whose token hashes to `tokenHash`, when not accepted, not revoked and not expired at `now`. */
  findUsable(tokenHash: string, now: Date): Promise<InvitationWithWorkspace | null>;
  /**
   * In one transaction: claims the invitation (not accepted, not revoked, not expired), creates the user and
   * the membership it names (the user's email is the invitation's). A second accept of the same link finds it claimed: `not_valid`.
   */
  accept(tokenHash: string, now: Date, user: Omit<NewUser, 'email'>): Promise<AcceptOutcome>;
}
