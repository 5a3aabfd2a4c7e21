import { MembershipGrant } from './authorization-policy';

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

export function accessContext<T extends { userId: string; email: string; displayName: string }>(
  identity: T,
  grants: readonly MembershipGrant[],
): Readonly<T> & AccessContext {
  return Object.freeze({ ...identity, grants: Object.freeze(grants.map((g) => Object.freeze({ ...g }))) });
}
