import { MembershipGrant } from './authorization-policy';
import { WorkspaceRef } from './ports/tenancy-directory.port';

/**
 * Who is asking, with their grants resolved once for the whole request (or job, or CLI call):
 * use cases take this instead of re-reading memberships, so one request never sees two
 * versions of the caller's access. Immutable; build it with `accessContext`.
 */
export interface AccessContext {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly grants: readonly MembershipGrant[];
}

/** The caller's member workspaces as its grants read them (grants read without rows add none). */
export function memberWorkspacesOf(caller: Pick<AccessContext, 'grants'>): WorkspaceRef[] {
  return caller.grants.flatMap((g) => (g.workspace ? [g.workspace] : []));
}

export function accessContext<T extends { userId: string; email: string; displayName: string }>(
  identity: T,
  grants: readonly MembershipGrant[],
): Readonly<T> & AccessContext {
  return Object.freeze({ ...identity, grants: Object.freeze(grants.map((g) => Object.freeze({ ...g }))) });
}
