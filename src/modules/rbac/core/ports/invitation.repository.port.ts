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
}

/** A usable invitation with its workspace, for the accept page. */
export interface InvitationWithWorkspace extends Invitation {
  workspace: { id: string; slug: string; name: string };
}

export type AcceptOutcome =
  | { kind: 'accepted'; invitation: InvitationWithWorkspace; userId: string; membershipId: string }
  | { kind: 'not_valid' }
  /** Someone signed up with the invited email since: nothing changed, the link stays usable. */
  | { kind: 'user_exists' };

export interface InvitationRepository {
  /** Stores the invitation, replacing a pending one of the same email to the same workspace. */
  replacePending(invitation: NewInvitation): Promise<Invitation>;
  /** Not accepted and not expired at `now`, oldest first. */
  listPending(workspaceId: string, now: Date): Promise<Invitation[]>;
  /** The invitation whose token hashes to `tokenHash`, when not accepted and not expired at `now`. */
  findUsable(tokenHash: string, now: Date): Promise<InvitationWithWorkspace | null>;
  /**
   * In one transaction: claims the invitation (not accepted, not expired), creates the user and
   * the membership it names (the user's email is the invitation's). A second accept of the same link finds it claimed: `not_valid`.
   */
  accept(tokenHash: string, now: Date, user: Omit<NewUser, 'email'>): Promise<AcceptOutcome>;
}
