export const USER_REPOSITORY = Symbol('USER_REPOSITORY');

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
}

export type UserProfile = Omit<UserRecord, 'passwordHash'>;

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
}
