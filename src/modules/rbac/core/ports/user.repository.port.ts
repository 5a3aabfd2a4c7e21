export const USER_REPOSITORY = Symbol('USER_REPOSITORY');

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  /** The last successful sign-in; null before the first. */
  signedInAt: Date | null;
}

export type UserProfile = Omit<UserRecord, 'passwordHash' | 'signedInAt'>;

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string;
}

export interface UserRepository {
  /** Case-insensitive. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Null when a user with that email (in any case) already exists. */
  createIfAbsent(user: NewUser): Promise<UserProfile | null>;
  recordSignIn(userId: string, at: Date): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  /**
   * Stores the new password hash and, in the same transaction, ends every session of the user
   * except `keepSessionIdHash` (the one the change was made from; null ends them all).
   * Answers how many sessions ended.
   */
  replacePassword(userId: string, passwordHash: string, keepSessionIdHash: string | null): Promise<{ endedSessions: number }>;
}
