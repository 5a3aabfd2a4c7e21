import { MembershipGrant } from '../../core/authorization-policy';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { hashApiToken, newApiToken } from '../../core/api-token';
import { ApiTokenRepository, ApiTokenSummary } from '../../core/ports/api-token.repository.port';
import { UserProfile } from '../../core/ports/user.repository.port';
import { forgetGrants, grantsUnlessKnownSql, knownGrants, knownParams, resolveGrants } from './grants-by-credential';
import { GrantRow, grantsFromRows, memberGrantsJsonSql } from './member-grants.sql';
import { runSql } from './raw-sql';
import { isUuid } from '../../../../shared/core/uuid';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';

interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
}

const at = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

@Injectable()
export class MikroOrmApiTokenRepository extends ApiTokenRepository {
  constructor(
    private readonly em: EntityManager,
    // Expiry is judged on the app's clock, the one `isTokenExpired` and the listings use.
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  async create(userId: string, name: string, expiresAt: Date | null = null): Promise<{ id: string; token: string; createdAt: Date }> {
    const token = newApiToken();
    const [row] = await runSql<{ id: string; created_at: Date }>(
      this.em,
      'insert into api_tokens (user_id, name, token_hash, expires_at) values (?, ?, ?, ?) returning id, created_at',
      [userId, name, hashApiToken(token), expiresAt],
    );
    return { id: row.id, token, createdAt: new Date(row.created_at) };
  }

  async findActiveByHash(hash: string): Promise<{ id: string; userId: string } | null> {
    const [row] = await runSql<{ id: string; user_id: string }>(
      this.em,
      'select id, user_id from api_tokens where token_hash = ? and revoked_at is null and (expires_at is null or expires_at > ?)',
      [hash, this.clock.now()],
    );
    return row ? { id: row.id, userId: row.user_id } : null;
  }

  async authenticate(hash: string): Promise<{ tokenId: string; user: UserProfile; grants: MembershipGrant[] } | null> {
    // The touch is a data-modifying CTE: it runs with the lookup, in the same statement.
    const held = knownGrants(hash);
    const [row] = await runSql<{
      token_id: string;
      user_id: string;
      email: string;
      display_name: string;
      grants_version: string;
      grants: GrantRow[] | null;
    }>(
      this.em,
      `with t as (
         select id, user_id, last_used_at from api_tokens
          where token_hash = ? and revoked_at is null and (expires_at is null or expires_at > ?)
       ), touched as (
         update api_tokens a set last_used_at = now()
           from t
          where a.id = t.id and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute')
         returning a.id
       )
       select t.id as token_id, u.id as user_id, u.email, u.display_name, u.grants_version::text as grants_version,
              ${grantsUnlessKnownSql('u.id', 'u.grants_version', memberGrantsJsonSql('u.id'))} as grants
         from t join users u on u.id = t.user_id`,
      [hash, this.clock.now(), ...knownParams(held)],
    );
    if (!row) {
      forgetGrants(hash);
      return null;
    }
    return {
      tokenId: row.token_id,
      user: { id: row.user_id, email: row.email, displayName: row.display_name },
      // Every API call asks what the token's user may see next: one round trip for both.
      grants: grantsFromRows(resolveGrants(hash, held, row)),
    };
  }

  async revoke(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await runSql<{ id: string }>(
      this.em,
      'update api_tokens set revoked_at = now() where id = ? and revoked_at is null returning id',
      [id],
    );
    return rows.length > 0;
  }

  async listOfUser(userId: string): Promise<ApiTokenSummary[]> {
    const rows = await runSql<TokenRow>(
      this.em,
      `select id, name, created_at, last_used_at, expires_at from api_tokens
        where user_id = ? and revoked_at is null
        order by created_at desc, id`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: new Date(r.created_at),
      lastUsedAt: at(r.last_used_at),
      expiresAt: at(r.expires_at),
    }));
  }

  async revokeOfUser(userId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await runSql<{ token_hash: string }>(
      this.em,
      'update api_tokens set revoked_at = now() where id = ? and user_id = ? and revoked_at is null returning token_hash',
      [id, userId],
    );
    // This instance's grants held for the token go at once; other instances find no row and drop theirs.
    for (const row of rows) forgetGrants(row.token_hash);
    return rows.length > 0;
  }
}
