import { Inject, Injectable } from '@nestjs/common';
import { AccessContext, accessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { USER_PROFILES, UserProfiles } from '../core/ports/user-profiles.port';
import { USER_REPOSITORY, UserRepository } from '../core/ports/user.repository.port';

/**
 * A user's access as it is now, for work done on their behalf outside a request (a worker acting
 * on a bulk run's runs for its initiator): their identity and freshly read grants, or null when
 * the user no longer exists.
 */
@Injectable()
export class AccessOfUser {
  constructor(
    @Inject(USER_PROFILES) private readonly profiles: UserProfiles,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
  ) {}

  /** The same, for the user with this email (case-insensitive): the CLI acts for a named user. */
  async byEmail(email: string): Promise<AccessContext | null> {
    const user = await this.users.findByEmail(email);
    return user ? this.execute(user.id) : null;
  }

  async execute(userId: string): Promise<AccessContext | null> {
    const [profile, grants] = await Promise.all([this.profiles.findProfile(userId), this.access.grantsOf(userId)]);
    if (!profile) return null;
    return accessContext({ userId: profile.id, email: profile.email, displayName: profile.displayName }, grants);
  }
}
