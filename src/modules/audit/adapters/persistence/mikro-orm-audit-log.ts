import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { AuditErrors } from '../../core/audit-errors';
import { scrubAuditMetadata } from '../../core/audit-metadata';
import { AuditEvent, AuditEventFilter, AuditEventPage, AuditEventQuery } from '../../core/ports/audit-event-query.port';
import { AuditEventInput, AuditLog } from '../../../../shared/core/audit-trail/audit-log.port';
import { isUuid } from '../../../../shared/core/uuid';

interface AuditEventRow {
  id: string;
  at: Date;
  /** `at` with the database's microseconds, for the cursor. */
  cursor_at: string;
  actor_user_id: string | null;
  actor_label: string;
  workspace_id: string | null;
  environment_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  metadata: Record<string, unknown> | null;
}

const toAuditEvent = (r: AuditEventRow): AuditEvent => ({
  id: String(r.id),
  at: new Date(r.at),
  actorUserId: r.actor_user_id,
  actorLabel: r.actor_label,
  workspaceId: r.workspace_id,
  environmentId: r.environment_id,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  metadata: r.metadata ?? {},
});


/** The reader's scope over the rows of `alias`: its workspace and the environments it may see. */
function scopeOf(alias: string, filter: AuditEventFilter): { sql: string[]; params: unknown[] } {
  const sql = [`${alias}.workspace_id = ?`];
  const params: unknown[] = [filter.workspaceId];
  const environments = filter.environmentIds ?? 'all';
  if (environments !== 'all') {
    // A reader limited to some environments sees only their events: workspace-level events
    // (membership changes, denied starts, workspace-level runs) can name hidden environments.
    if (environments.length) {
      sql.push(`${alias}.environment_id in (?)`);
      params.push(environments);
    } else {
      sql.push('false');
    }
  }
  return { sql, params };
}

/**
 * The audit log in `audit_events` (append-only: the database refuses UPDATE and DELETE).
 * Writes strip secret-named metadata keys; reads are keyset pages over (at desc, id desc), the
 * sequential id staying inside: events and cursors carry `public_id`.
 */
@Injectable()
export class MikroOrmAuditLog implements AuditLog, AuditEventQuery {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async recordMany(events: AuditEventInput[]): Promise<void> {
    if (!events.length) return;
    const at = this.clock.now();
    const rows = events.map((event) => ({
      actor_user_id: event.actorUserId,
      actor_label: event.actorLabel,
      workspace_id: event.workspaceId ?? null,
      environment_id: event.environmentId ?? null,
      action: event.action,
      subject_type: event.subjectType ?? null,
      subject_id: event.subjectId ?? null,
      metadata: scrubAuditMetadata(event.metadata),
    }));
    // One statement for the whole batch instead of one round trip per event; the batch is bound.
    await preparedRows(
      this.em,
      `insert into audit_events (at, actor_user_id, actor_label, workspace_id, environment_id, action,
         subject_type, subject_id, metadata)
       select ?, v.actor_user_id, v.actor_label, v.workspace_id, v.environment_id, v.action,
              v.subject_type, v.subject_id, coalesce(v.metadata, '{}'::jsonb)
         from jsonb_to_recordset(?::jsonb) as v(actor_user_id uuid, actor_label text,
              workspace_id uuid, environment_id uuid, action text, subject_type text, subject_id text,
              metadata jsonb)`,
      [at, JSON.stringify(rows)],
    );
  }

  async record(event: AuditEventInput): Promise<void> {
    await this.sql(
      `insert into audit_events (at, actor_user_id, actor_label, workspace_id, environment_id, action,
         subject_type, subject_id, metadata)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
      [
        this.clock.now(),
        event.actorUserId,
        event.actorLabel,
        event.workspaceId ?? null,
        event.environmentId ?? null,
        event.action,
        event.subjectType ?? null,
        event.subjectId ?? null,
        JSON.stringify(scrubAuditMetadata(event.metadata)),
      ],
    );
  }

  async list(filter: AuditEventFilter): Promise<AuditEventPage> {
    const scope = scopeOf('e', filter);
    const where = [...scope.sql];
    const params = [...scope.params];
    if (filter.action !== undefined) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.actorUserId !== undefined) {
      where.push('actor_user_id = ?');
      params.push(filter.actorUserId);
    }
    if (filter.from) {
      where.push('at >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      where.push('at < ?');
      params.push(filter.to);
    }
    let withCursor = '';
    if (filter.cursor) {
      if (!isUuid(filter.cursor.id)) throw AuditErrors.cursorOutOfScope();
      // The position is the named event's own (at, id), found only within the reader's scope: a
      // cursor naming any other event matches nothing, so it can position no page.
      const named = this.cursorEvent(filter);
      withCursor = `with c as (${named.sql}) `;
      params.unshift(...named.params);
      where.push('(e.at, e.id) < ((select c.at from c), (select c.id from c))');
    }
    const limit = Math.max(1, Math.floor(filter.limit));
    params.push(limit + 1);
    const rows = await this.sql<AuditEventRow>(
      `${withCursor}select e.public_id::text as id, e.at,
              to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
              e.actor_user_id, e.actor_label, e.workspace_id, e.environment_id, e.action,
              e.subject_type, e.subject_id, e.metadata
         from audit_events e
        where ${where.join(' and ')}
        order by e.at desc, e.id desc
        limit ?`,
      params,
    );
    // An empty page is also what a cursor outside the scope gives: tell the two apart (only then).
    if (filter.cursor && rows.length === 0) {
      const named = this.cursorEvent(filter);
      if ((await this.sql(`${named.sql} limit 1`, named.params)).length === 0) throw AuditErrors.cursorOutOfScope();
    }
    const last = rows[Math.min(rows.length, limit) - 1];
    return {
      items: rows.slice(0, limit).map(toAuditEvent),
      nextCursor: rows.length > limit && last ? { at: last.cursor_at, id: last.id } : null,
    };
  }

  /** The event a cursor names, if the reader may see it: its workspace and environments, its exact time. */
  private cursorEvent(filter: AuditEventFilter): { sql: string; params: unknown[] } {
    const scope = scopeOf('c', filter);
    return {
      sql: `select c.at, c.id from audit_events c
             where ${scope.sql.join(' and ')} and c.at = ?::timestamptz and c.public_id = ?::uuid`,
      params: [...scope.params, filter.cursor!.at, filter.cursor!.id],
    };
  }

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return preparedRows<T>(this.em, query, params as PreparedParam[]);
  }
}
