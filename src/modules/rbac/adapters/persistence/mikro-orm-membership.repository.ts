import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Membership, MembershipRole } from '../../core/membership';
import {
  MembershipChangeNext,
  MembershipChangeState,
  MembershipRepository,
  MembershipUpsert,
  WorkspaceMember,
} from '../../core/ports/membership.repository.port';

interface MembershipRow {
  id: string;
  user_id: string;
  workspace_id: string;
  role: MembershipRole;
  all_environments: boolean;
  environment_ids: string[] | null;
}

const SELECT_MEMBERSHIP = `select m.id, m.user_id, m.workspace_id, m.role, m.all_environments,
    (select array_agg(me.environment_id::text order by me.environment_id)
       from membership_environments me where me.membership_id = m.id) as environment_ids
  from memberships m`;

const toMembership = (row: MembershipRow): Membership => ({
  id: row.id,
  userId: row.user_id,
  workspaceId: row.workspace_id,
  role: row.role,
  environmentIds: row.all_environments ? null : (row.environment_ids ?? []),
});

@Injectable()
export class MikroOrmMembershipRepository implements MembershipRepository {
  constructor(private readonly em: EntityManager) {}

  async find(userId: string, workspaceId: string): Promise<Membership | null> {
    const [row] = await this.em
      .getConnection()
      .execute<MembershipRow[]>(`${SELECT_MEMBERSHIP} where m.user_id = ? and m.workspace_id = ?`, [userId, workspaceId], 'all');
    return row ? toMembership(row) : null;
  }

  /** Role, scope flag and entitled environments change together or not at all. */
  async upsert(membership: MembershipUpsert): Promise<Membership> {
    const connection = this.em.getConnection();
    return connection.transactional((trx) =>
      writeMembership(<T>(sql: string, params: unknown[]) => connection.execute<T[]>(sql, params, 'all', trx), membership),
    );
  }

  async listOfWorkspace(workspaceId: string): Promise<WorkspaceMember[]> {
    const rows = await this.em.getConnection().execute<(MembershipRow & { email: string; display_name: string })[]>(
      `select m.id, m.user_id, m.workspace_id, m.role, m.all_environments, u.email, u.display_name,
          (select array_agg(me.environment_id::text order by me.environment_id)
             from membership_environments me where me.membership_id = m.id) as environment_ids
         from memberships m join users u on u.id = m.user_id
        where m.workspace_id = ?
        order by m.role = 'owner' desc, lower(u.email)`,
      [workspaceId],
      'all',
    );
    return rows.map((row) => {
      const { userId, role, environmentIds } = toMembership(row);
      return { userId, role, environmentIds, email: row.email, displayName: row.display_name };
    });
  }

  async changeGuarded(
    workspaceId: string,
    userId: string,
    decide: (state: MembershipChangeState) => MembershipChangeNext | null,
  ): Promise<{ previous: Membership | null; saved: Membership | null }> {
    const connection = this.em.getConnection();
    return connection.transactional(async (trx) => {
      const run = <T>(sql: string, params: unknown[]) => connection.execute<T[]>(sql, params, 'all', trx);
      // One membership change per workspace at a time. NO KEY UPDATE does not block the key-share
      // locks of inserts that reference the workspace (runs, audit events).
      await run('select id from workspaces where id = ? for no key update', [workspaceId]);
      const owners = await run<{ user_id: string }>(`select user_id from memberships where workspace_id = ? and role = 'owner'`, [workspaceId]);
      const [row] = await run<MembershipRow>(`${SELECT_MEMBERSHIP} where m.user_id = ? and m.workspace_id = ?`, [userId, workspaceId]);
      const previous = row ? toMembership(row) : null;
      const next = decide({ current: previous, ownerIds: owners.map((o) => o.user_id) });
      if (!next) {
        await run('delete from memberships where user_id = ? and workspace_id = ?', [userId, workspaceId]);
        return { previous, saved: null };
      }
      return { previous, saved: await writeMembership(run, { ...next, userId, workspaceId }) };
    });
  }
}

export type Run = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** Inserts or replaces a membership and its entitlements with `run` (inside the caller's transaction). */
export async function writeMembership(run: Run, membership: MembershipUpsert): Promise<Membership> {
  const [{ id }] = await run<{ id: string }>(
    `insert into memberships (user_id, workspace_id, role, all_environments) values (?, ?, ?, ?)
     on conflict (user_id, workspace_id) do update set role = excluded.role, all_environments = excluded.all_environments
     returning id`,
    [membership.userId, membership.workspaceId, membership.role, membership.environmentIds === null],
  );
  await run('delete from membership_environments where membership_id = ?', [id]);
  const environmentIds = [...new Set(membership.environmentIds ?? [])];
  if (environmentIds.length) {
    // Only environments of the membership's own workspace can be entitled.
    await run(
      `insert into membership_environments (membership_id, environment_id)
       select ?, e.id from managed_environments e where e.workspace_id = ? and e.id in (?)`,
      [id, membership.workspaceId, environmentIds],
    );
  }
  const [row] = await run<MembershipRow>(`${SELECT_MEMBERSHIP} where m.id = ?`, [id]);
  return toMembership(row);
}
