import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { NewSession, SessionRepository, StoredSession } from '../../core/ports/session.repository.port';
import { forgetGrants, grantsUnlessKnownSql, knownGrants, knownParams, resolveGrants } from './grants-by-credential';
import { GrantRow, grantsFromRows, memberGrantsJsonSql } from './member-grants.sql';
import { runSql } from './raw-sql';

interface SessionRow {
  id_hash: string;
  user_id: string;
  email: string;
  display_name: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  grants_version: string;
  grants: GrantRow[] | null;
}

@Injectable()
export class MikroOrmSessionRepository implements SessionRepository {
  constructor(private readonly em: EntityManager) {}

  async create(session: NewSession): Promise<void> {
    await runSql(
      this.em,
      `insert into sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?, ?)`,
      [session.idHash, session.userId, session.csrfToken, session.now, session.now, session.expiresAt],
    );
  }

  async findByIdHash(idHash: string): Promise<StoredSession | null> {
    const held = knownGrants(idHash);
    const [row] = await runSql<SessionRow>(
      this.em,
      `select s.id_hash, s.user_id, u.email, u.display_name, s.csrf_token, s.last_seen_at, s.expires_at,
              u.grants_version::text as grants_version,
              ${grantsUnlessKnownSql('u.id', 'u.grants_version', memberGrantsJsonSql('u.id'))} as grants
         from sessions s join users u on u.id = s.user_id
        where s.id_hash = ?`,
      [...knownParams(held), idHash],
    );
    if (!row) {
      forgetGrants(idHash);
      return null;
    }
    return {
      idHash: row.id_hash,
      userId: row.user_id,
      email: row.email,
      displayName: row.display_name,
      csrfToken: row.csrf_token,
      lastSeenAt: new Date(row.last_seen_at),
      expiresAt: new Date(row.expires_at),
      // Nearly every signed-in request asks what the user may see next: one round trip for both.
      grants: grantsFromRows(resolveGrants(idHash, held, row)),
    };
  }

  async touch(idHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await runSql(this.em, 'update sessions set last_seen_at = ?, expires_at = ? where id_hash = ?', [lastSeenAt, expiresAt, idHash]);
  }

  async delete(idHash: string): Promise<void> {
    forgetGrants(idHash);
    await runSql(this.em, 'delete from sessions where id_hash = ?', [idHash]);
  }

  async deleteExpiredOfUser(userId: string, now: Date): Promise<void> {
    await runSql(this.em, 'delete from sessions where user_id = ? and expires_at <= ?', [userId, now]);
  }
}
