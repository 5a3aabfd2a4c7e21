import { MembershipGrant } from '../authorization-policy';
export const SESSION_REPOSITORY = Symbol('SESSION_REPOSITORY');

export interface NewSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  now: Date;
  expiresAt: Date;
}

/** A stored session with the user it belongs to. */
export interface StoredSession {
  idHash: string;
  userId: string;
  email: string;
  displayName: string;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  /** The user's grants, when the lookup read them with the session (saves the request a statement). */
  grants?: MembershipGrant[];
}

/** Sessions live in PostgreSQL keyed by sha256(session id), so they survive restarts. */
export interface SessionRepository {
  create(session: NewSession): Promise<void>;
  findByIdHash(idHash: string): Promise<StoredSession | null>;
  touch(idHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  delete(idHash: string): Promise<void>;
  deleteExpiredOfUser(userId: string, now: Date): Promise<void>;
}
