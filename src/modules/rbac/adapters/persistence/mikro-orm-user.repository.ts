import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { NewUser, UserProfile, UserRecord, UserRepository } from '../../core/ports/user.repository.port';
import { forgetGrants } from './grants-by-credential';
import { runSql } from './raw-sql';
import { isUuid } from '../../../../shared/core/uuid';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  signed_in_at: Date | null;
}

@Injectable()
export class MikroOrmUserRepository implements UserRepository {
  constructor(private readonly em: EntityManager) {}

  async findByEmail(email: string): Promise<UserRecord | null> {
    // lower(email) is what users_email_uq indexes.
    const [row] = await runSql<UserRow>(
      this.em,
      'select id, email, display_name, password_hash, signed_in_at from users where lower(email) = lower(?)',
      [email.trim()],
    );
    return row ? recordOf(row) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = await runSql<UserRow>(
      this.em,
      'select id, email, display_name, password_hash, signed_in_at from users where id = ?',
      [id],
    );
    return row ? recordOf(row) : null;
  }

  async replacePassword(userId: string, passwordHash: string, keepSessionIdHash: string | null): Promise<{ endedSessions: number }> {
    // One statement, so one transaction: the new password never stands beside the old sessions.
    const rows = await runSql<{ id_hash: string | null }>(
      this.em,
      `with changed as (
         update users set password_hash = ? where id = ? returning id
       ), ended as (
         delete from sessions s using changed
          where s.user_id = changed.id and s.id_hash is distinct from ?
         returning s.id_hash
       )
       select id_hash from ended`,
      [passwordHash, userId, keepSessionIdHash],
    );
    // This instance's grants held for the ended sessions go now; other instances find no row.
    for (const row of rows) if (row.id_hash) forgetGrants(row.id_hash);
    return { endedSessions: rows.length };
  }

  async recordSignIn(userId: string, at: Date): Promise<void> {
    await runSql(this.em, 'update users set signed_in_at = ? where id = ?', [at, userId]);
  }

  async createIfAbsent(user: NewUser): Promise<UserProfile | null> {
    const [row] = await runSql<UserRow>(
      this.em,
      `insert into users (email, display_name, password_hash) values (?, ?, ?)
       on conflict ((lower(email))) do nothing
       returning id, email, display_name`,
      [user.email, user.displayName, user.passwordHash],
    );
    return row ? { id: row.id, email: row.email, displayName: row.display_name } : null;
  }
}

function recordOf(row: UserRow): UserRecord {
  const signedInAt = row.signed_in_at ? new Date(row.signed_in_at) : null;
  return { id: row.id, email: row.email, displayName: row.display_name, passwordHash: row.password_hash, signedInAt };
}
