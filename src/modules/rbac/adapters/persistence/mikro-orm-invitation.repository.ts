import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MembershipRole } from '../../core/membership';
import {
  AcceptOutcome,
  Invitation,
  InvitationRepository,
  InvitationWithWorkspace,
  NewInvitation,
} from '../../core/ports/invitation.repository.port';
import { NewUser } from '../../core/ports/user.repository.port';
import { Run, writeMembership } from './mikro-orm-membership.repository';

interface InvitationRow {
  id: string;
  workspace_id: string;
  email: string;
  role: MembershipRole;
  all_environments: boolean;
  environment_ids: string[];
  created_at: Date | string;
  expires_at: Date | string;
  workspace_slug?: string;
  workspace_name?: string;
}

const COLUMNS = `i.id, i.workspace_id, i.email, i.role, i.all_environments, i.environment_ids::text[] as environment_ids, i.created_at, i.expires_at`;
const WITH_WORKSPACE = `select ${COLUMNS}, w.slug as workspace_slug, w.name as workspace_name
  from membership_invitations i join workspaces w on w.id = i.workspace_id`;

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  workspaceId: row.workspace_id,
  email: row.email,
  role: row.role,
  environmentIds: row.all_environments ? null : row.environment_ids,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

const withWorkspace = (row: InvitationRow): InvitationWithWorkspace => ({
  ...toInvitation(row),
  workspace: { id: row.workspace_id, slug: row.workspace_slug!, name: row.workspace_name! },
});

/** A PostgreSQL array literal of uuids (ids read from the database, never user text). */
const uuidArray = (ids: string[] | null) => `{${(ids ?? []).join(',')}}`;

/** Thrown inside the accept transaction to roll it back when the email is taken. */
class EmailTaken extends Error {}

@Injectable()
export class MikroOrmInvitationRepository implements InvitationRepository {
  constructor(private readonly em: EntityManager) {}

  async replacePending(invitation: NewInvitation): Promise<Invitation> {
    const connection = this.em.getConnection();
    return connection.transactional(async (trx) => {
      const run: Run = (sql, params) => connection.execute(sql, params, 'all', trx);
      await run(`delete from membership_invitations where workspace_id = ? and lower(email) = lower(?) and accepted_at is null`, [
        invitation.workspaceId,
        invitation.email,
      ]);
      const [row] = await run<InvitationRow>(
        `insert into membership_invitations as i (workspace_id, email, role, all_environments, environment_ids, token_hash, invited_by, expires_at)
         values (?, ?, ?, ?, ?::uuid[], ?, ?, ?) returning ${COLUMNS}`,
        [
          invitation.workspaceId,
          invitation.email,
          invitation.role,
          invitation.environmentIds === null,
          uuidArray(invitation.environmentIds),
          invitation.tokenHash,
          invitation.invitedBy,
          invitation.expiresAt,
        ],
      );
      return toInvitation(row);
    });
  }

  async listPending(workspaceId: string, now: Date): Promise<Invitation[]> {
    const rows = await this.em.getConnection().execute<InvitationRow[]>(
      `select ${COLUMNS} from membership_invitations i
        where i.workspace_id = ? and i.accepted_at is null and i.expires_at > ? order by i.created_at, i.id`,
      [workspaceId, now],
      'all',
    );
    return rows.map(toInvitation);
  }

  async findUsable(tokenHash: string, now: Date): Promise<InvitationWithWorkspace | null> {
    const [row] = await this.em.getConnection().execute<InvitationRow[]>(
      `${WITH_WORKSPACE} where i.token_hash = ? and i.accepted_at is null and i.expires_at > ?`,
      [tokenHash, now],
      'all',
    );
    return row ? withWorkspace(row) : null;
  }

  async accept(tokenHash: string, now: Date, user: Omit<NewUser, 'email'>): Promise<AcceptOutcome> {
    const connection = this.em.getConnection();
    try {
      return await connection.transactional(async (trx): Promise<AcceptOutcome> => {
        const run: Run = (sql, params) => connection.execute(sql, params, 'all', trx);
        // The claim: a concurrent or later accept of the same link updates no row.
        const [claimed] = await run<{ id: string }>(
          `update membership_invitations set accepted_at = ? where token_hash = ? and accepted_at is null and expires_at > ? returning id`,
          [now, tokenHash, now],
        );
        if (!claimed) return { kind: 'not_valid' };
        const [row] = await run<InvitationRow>(`${WITH_WORKSPACE} where i.id = ?`, [claimed.id]);
        const invitation = withWorkspace(row);
        const [created] = await run<{ id: string }>(
          `insert into users (email, display_name, password_hash) values (?, ?, ?) on conflict ((lower(email))) do nothing returning id`,
          [invitation.email, user.displayName, user.passwordHash],
        );
        if (!created) throw new EmailTaken();
        await run(`update membership_invitations set accepted_user_id = ? where id = ?`, [created.id, invitation.id]);
        const membership = await writeMembership(run, {
          userId: created.id,
          workspaceId: invitation.workspaceId,
          role: invitation.role,
          environmentIds: invitation.environmentIds,
        });
        return { kind: 'accepted', invitation, userId: created.id, membershipId: membership.id };
      });
    } catch (error) {
      if (error instanceof EmailTaken) return { kind: 'user_exists' };
      throw error;
    }
  }
}
