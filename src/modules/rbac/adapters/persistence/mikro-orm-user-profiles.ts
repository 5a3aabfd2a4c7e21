import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { UserProfile } from '../../core/ports/user.repository.port';
import { UserProfiles } from '../../core/ports/user-profiles.port';

@Injectable()
export class MikroOrmUserProfiles implements UserProfiles {
  constructor(private readonly em: EntityManager) {}

  async findProfile(userId: string): Promise<UserProfile | null> {
    const [row] = await this.em
      .getConnection()
      .execute<{ id: string; email: string; display_name: string }[]>(
        'select id, email, display_name from users where id = ?',
        [userId],
        'all',
      );
    return row ? { id: row.id, email: row.email, displayName: row.display_name } : null;
  }

  async findProfiles(userIds: string[]): Promise<UserProfile[]> {
    if (!userIds.length) return [];
    const rows = await this.em
      .getConnection()
      .execute<{ id: string; email: string; display_name: string }[]>(
        'select id, email, display_name from users where id in (?)',
        [userIds],
        'all',
      );
    return rows.map((row) => ({ id: row.id, email: row.email, displayName: row.display_name }));
  }
}
