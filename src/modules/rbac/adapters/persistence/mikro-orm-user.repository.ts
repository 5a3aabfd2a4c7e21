import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { NewUser, UserProfile, UserRecord, UserRepository } from '../../core/ports/user.repository.port';
import { runSql } from './raw-sql';

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
    if (!row) return null;
    const signedInAt = row.signed_in_at ? new Date(row.signed_in_at) : null;
    return { id: row.id, email: row.email, displayName: row.display_name, passwordHash: row.password_hash, signedInAt };
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
