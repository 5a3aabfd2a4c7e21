import { UserProfile } from './user.repository.port';

export const USER_PROFILES = Symbol('USER_PROFILES');

/** Public facts about users (no password hash), by id. */
export interface UserProfiles {
  findProfile(userId: string): Promise<UserProfile | null>;
  /** Bulk lookup (list pages); unknown ids are simply absent. */
  findProfiles(userIds: string[]): Promise<UserProfile[]>;
}
