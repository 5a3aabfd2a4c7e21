import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { MembershipGrant } from '../../../rbac/core/authorization-policy';
import { AccessContext } from '../../../rbac/core/access-context';
import { NotificationDraft } from '../../core/notification-rules';
import {
  NotificationCursor,
  NotificationInbox,
  NotificationPage,
  StoredNotification,
} from '../../core/ports/notification-inbox.port';
import { isUuid } from '../../../../shared/core/uuid';

interface NotificationRow {
  id: string;
  user_id: string;
  run_id: string;
  workspace_id: string;
  environment_id: string | null;
  title: string;
  body: string;
  tone: string;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (r: NotificationRow): StoredNotification => ({
  id: r.id,
  userId: r.user_id,
  runId: r.run_id,
  workspaceId: r.workspace_id,
  environmentId: r.environment_id,
  title: r.title,
  body: r.body,
  tone: r.tone,
  createdAt: new Date(r.created_at),
  readAt: r.read_at ? new Date(r.read_at) : null,
});

/**
 * Notifications in `notifications`. Every read re-checks the user's memberships: a notification
 * is listed, counted or markable only while its workspace and environment are in the user's
 * scope (a workspace-level run needs an all-environments membership, as in the RBAC policy).
 */
@Injectable()
export class MikroOrmNotificationInbox implements NotificationInbox {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(drafts: NotificationDraft[]): Promise<void> {
    if (!drafts.length) return;
    const rows = drafts.map((d) => ({
      user_id: d.userId,
      run_id: d.runId,
      workspace_id: d.workspaceId,
      environment_id: d.environmentId,
      title: d.title,
      body: d.body,
      tone: d.tone,
    }));
    await this.sql(
      `insert into notifications (user_id, run_id, workspace_id, environment_id, title, body, tone, created_at)
       select v.user_id, v.run_id, v.workspace_id, v.environment_id, v.title, v.body, v.tone, ?
         from jsonb_to_recordset(?::jsonb) as v(user_id uuid, run_id uuid, workspace_id uuid,
              environment_id uuid, title text, body text, tone text)
       on conflict (user_id, run_id) do nothing`,
      [this.clock.now(), JSON.stringify(rows)],
    );
  }

  async list(reader: AccessContext, opts: { cursor?: NotificationCursor; limit: number }): Promise<NotificationPage> {
    const { userId } = reader;
    const scope = scopeClause(reader.grants);
    const where = ['n.user_id = ?', scope.sql];
    const params: unknown[] = [userId, ...scope.params];
    if (opts.cursor) {
      // The cursor row's own timestamp (microseconds) when it still exists; the cursor's copy otherwise.
      where.push(
        `(n.created_at, n.id) < (coalesce((select c.created_at from notifications c where c.id = ?::uuid and c.user_id = ?), ?), ?::uuid)`,
      );
      params.push(opts.cursor.id, userId, opts.cursor.createdAt, opts.cursor.id);
    }
    const limit = Math.max(1, Math.floor(opts.limit));
    params.push(limit + 1);
    const rows = await this.sql<NotificationRow>(
      `select n.id, n.user_id, n.run_id, n.workspace_id, n.environment_id, n.title, n.body, n.tone,
              n.created_at, n.read_at
         from notifications n
        where ${where.join(' and ')}
        order by n.created_at desc, n.id desc
        limit ?`,
      params,
    );
    const items = rows.slice(0, limit).map(toNotification);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async unreadCount(reader: AccessContext): Promise<number> {
    const { userId } = reader;
    const scope = scopeClause(reader.grants);
    const [row] = await this.sql<{ n: number }>(
      `select count(*)::int as n from notifications n where n.user_id = ? and n.read_at is null and ${scope.sql}`,
      [userId, ...scope.params],
    );
    return row?.n ?? 0;
  }

  async markAllRead(userId: string): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      `update notifications set read_at = ? where user_id = ? and read_at is null returning id`,
      [this.clock.now(), userId],
    );
    return rows.length;
  }

  async markRead(reader: AccessContext, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { userId } = reader;
    const scope = scopeClause(reader.grants);
    const rows = await this.sql<{ id: string }>(
      `update notifications n set read_at = coalesce(n.read_at, ?)
        where n.id = ?::uuid and n.user_id = ? and ${scope.sql}
        returning n.id`,
      [this.clock.now(), id, userId, ...scope.params],
    );
    return rows.length > 0;
  }

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return preparedRows<T>(this.em, query, params as PreparedParam[]);
  }
}

/** The user's current scope as SQL over alias `n`: member workspaces, entitled environments only. */
function scopeClause(grants: readonly MembershipGrant[]): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const grant of grants) {
    if (grant.environmentIds === 'all') {
      parts.push('n.workspace_id = ?');
      params.push(grant.workspaceId);
    } else if (grant.environmentIds.length) {
      parts.push('(n.workspace_id = ? and n.environment_id in (?))');
      params.push(grant.workspaceId, grant.environmentIds);
    }
  }
  return parts.length ? { sql: `(${parts.join(' or ')})`, params } : { sql: 'false', params: [] };
}
