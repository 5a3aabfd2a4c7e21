import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MembershipRole } from '../../core/membership';
import {
  AcceptOutcome,
  Invitation,
  InvitationReplaced,
  InvitationRepository,
  InvitationTarget,
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
  invited_by: string | null;
  invited_by_email: string | null;
  workspace_slug?: string;
  workspace_name?: string;
}

// The inviter's email by subquery: it works in every select and in the insert's RETURNING alike.
const COLUMNS = `i.id, i.workspace_id, i.email, i.role, i.all_environments, i.environment_ids::text[] as environment_ids, i.created_at, i.expires_at,
  i.invited_by, (select u.email from users u where u.id = i.invited_by) as invited_by_email`;
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
  invitedBy: row.invited_by && row.invited_by_email ? { id: row.invited_by, email: row.invited_by_email } : null,
});

const withWorkspace = (row: InvitationRow): InvitationWithWorkspace => ({
  ...toInvitation(row),
  workspace: { id: row.workspace_id, slug: row.workspace_slug!, name: row.workspace_name! },
});

/** A PostgreSQL array literal of uuids (ids read from the database, never user text). */
const uuidArray = (ids: string[] | null) => `{${(ids ?? []).join(',')}}`;

/** Neither accepted nor revoked (expiry is checked against the caller's clock where it matters). */
const OPEN = `i.accepted_at is null and i.revoked_at is null`;

/** 23505: PostgreSQL's unique_violation (raw execute() may hand it over converted or not). */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === '23505' || e?.name === 'UniqueConstraintViolationException';
}

/** Thrown inside the accept transaction to roll it back when the email is taken. */
class EmailTaken extends Error {}

@Injectable()
export class MikroOrmInvitationRepository implements InvitationRepository {
  constructor(private readonly em: EntityManager) {}

  async replacePending(invitation: NewInvitation, now: Date, mayReplace: (current: Invitation[]) => void): Promise<InvitationReplaced> {
    try {
      return await this.replaceOnce(invitation, now, mayReplace);
    } catch (error) {
      // Two invitations of one email at the same moment: the later insert meets the earlier one on
      // the live-invitation index, which its snapshot could not lock. Once more, it replaces it.
      if (!isUniqueViolation(error)) throw error;
      return this.replaceOnce(invitation, now, mayReplace);
    }
  }

  private async replaceOnce(invitation: NewInvitation, now: Date, mayReplace: (current: Invitation[]) => void): Promise<InvitationReplaced> {
    const connection = this.em.getConnection();
    return connection.transactional(async (trx) => {
      const run: Run = (sql, params) => connection.execute(sql, params, 'all', trx);
      const current = (
        await run<InvitationRow>(
          `select ${COLUMNS} from membership_invitations i
            where i.workspace_id = ? and lower(i.email) = lower(?) and ${OPEN} order by i.created_at, i.id for update`,
          [invitation.workspaceId, invitation.email],
        )
      ).map(toInvitation);
      mayReplace(current);
      // Revoked, not deleted: the old link stops working and its row stays as history.
      if (current.length) {
        await run(`update membership_invitations set revoked_at = ? where id = any(?::uuid[])`, [now, uuidArray(current.map((i) => i.id))]);
      }
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
      return { invitation: toInvitation(row), replaced: current };
    });
  }

  async listPending(workspaceId: string, now: Date): Promise<Invitation[]> {
    const rows = await this.em.getConnection().execute<InvitationRow[]>(
      `select ${COLUMNS} from membership_invitations i
        where i.workspace_id = ? and ${OPEN} and i.expires_at > ? order by i.created_at, i.id`,
      [workspaceId, now],
      'all',
    );
    return rows.map(toInvitation);
  }

  async findPending(workspaceId: string, target: InvitationTarget, now: Date): Promise<Invitation | null> {
    const [match, value] = 'id' in target ? ['i.id = ?', target.id] : ['lower(i.email) = lower(?)', target.email];
    const [row] = await this.em.getConnection().execute<InvitationRow[]>(
      `select ${COLUMNS} from membership_invitations i
        where i.workspace_id = ? and ${match} and ${OPEN} and i.expires_at > ?`,
      [workspaceId, value, now],
      'all',
    );
    return row ? toInvitation(row) : null;
  }

  async revoke(id: string, now: Date): Promise<boolean> {
    // Compare-and-set: a concurrent accept claims the row with the same condition, so one of them wins.
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `update membership_invitations i set revoked_at = ? where i.id = ? and ${OPEN} and i.expires_at > ? returning i.id`,
      [now, id, now],
      'all',
    );
    return rows.length === 1;
  }

  async findUsable(tokenHash: string, now: Date): Promise<InvitationWithWorkspace | null> {
    const [row] = await this.em.getConnection().execute<InvitationRow[]>(
      `${WITH_WORKSPACE} where i.token_hash = ? and ${OPEN} and i.expires_at > ?`,
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
          `update membership_invitations i set accepted_at = ? where i.token_hash = ? and ${OPEN} and i.expires_at > ? returning i.id`,
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
