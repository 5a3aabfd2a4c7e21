import { WorkspaceRef } from './tenancy-directory.port';
import { UserProfile } from './user.repository.port';

export const FIRST_RUN_REPOSITORY = Symbol('FIRST_RUN_REPOSITORY');

export interface FirstAdmin {
  email: string;
  displayName: string;
  passwordHash: string;
  workspace: { slug: string; name: string } | null;
  /**
   * sha256 of the setup token the page was opened with: the creation happens only while it is the
   * stored one. Null only for the CLI (`admin:create`), whose caller already holds the server.
   */
  setupTokenHash: string | null;
}

export type FirstAdminOutcome =
  | { kind: 'created'; user: UserProfile; workspace: WorkspaceRef | null }
  | { kind: 'users_exist' }
  | { kind: 'token_mismatch' }
  | { kind: 'slug_taken' };

/** The first-run setup: one stored (hashed) setup token, and the one creation of the first administrator. */
export interface FirstRunRepository {
  hasUsers(): Promise<boolean>;
  /** Stores the hash of a new setup token, replacing any earlier one. */
  replaceSetupToken(tokenHash: string): Promise<void>;
  /** True while no user exists and `tokenHash` is the stored one. */
  setupTokenValid(tokenHash: string): Promise<boolean>;
  /**
   * In one transaction, serialized against every other attempt: unless a user exists (or the
   * token is not the stored one), creates the user as platform administrator, the workspace with
   * them as owner of all environments, and deletes the setup token.
   */
  createFirstAdmin(admin: FirstAdmin): Promise<FirstAdminOutcome>;
}
