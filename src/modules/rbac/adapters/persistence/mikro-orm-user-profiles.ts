import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { UserProfile } from '../../core/ports/user.repository.port';
import { UserProfiles } from '../../core/ports/user-profiles.port';

interface ProfileRow {
  id: string;
  email: string;
  display_name: string;
}

@Injectable()
export class MikroOrmUserProfiles implements UserProfiles {
  constructor(private readonly em: EntityManager) {}

  async findProfile(userId: string): Promise<UserProfile | null> {
    const [row] = await preparedRows<ProfileRow>(this.em, 'select id, email, display_name from users where id = ?', [userId]);
    return row ? { id: row.id, email: row.email, displayName: row.display_name } : null;
  }

  async findProfiles(userIds: string[]): Promise<UserProfile[]> {
    if (!userIds.length) return [];
    const rows = await preparedRows<ProfileRow>(this.em, 'select id, email, display_name from users where id in (?)', [userIds]);
    return rows.map((row) => ({ id: row.id, email: row.email, displayName: row.display_name }));
  }
}
