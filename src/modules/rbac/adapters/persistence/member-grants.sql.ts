import { MembershipGrant } from '../../core/authorization-policy';

/** A membership with its workspace row and environment entitlement, as `memberGrantsSql` selects it. */
export interface GrantRow {
  workspace_id: string;
  workspace_slug: string;
  workspace_name: string;
  role: string;
  all_environments: boolean;
  environment_ids: string[] | null;
  /** The workspace's environments_version: whether an environment list held for it is still current. */
  environments_version: string;
}

/** The user's memberships, for `userId` a `?` parameter or a correlated column (the session's user). */
export function memberGrantsSql(userId: string): string {
  return `select m.workspace_id, w.slug as workspace_slug, w.name as workspace_name, m.role, m.all_environments,
                 array_remove(array_agg(me.environment_id::text order by me.environment_id), null) as environment_ids,
                 w.environments_version::text as environments_version
            from memberships m
            join workspaces w on w.id = m.workspace_id
            left join membership_environments me on me.membership_id = m.id
           where m.user_id = ${userId}
           group by m.id, m.workspace_id, w.slug, w.name, w.environments_version, m.role, m.all_environments`;
}

/** The same memberships as one jsonb array column, for the statement that identifies the user. */
export const memberGrantsJsonSql = (userId: string) =>
  `(select coalesce(jsonb_agg(to_jsonb(g)), '[]'::jsonb) from (${memberGrantsSql(userId)}) g)`;

/**
 * The grants of these rows, each with its workspace row and environments_version: the caller's
 * access context then answers "which workspace is this slug" and "is the held environment list
 * current" without another statement.
 */
export function grantsFromRows(rows: GrantRow[]): MembershipGrant[] {
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    role: r.role,
    // A copy: the rows may be held across requests (grants-by-credential.ts).
    environmentIds: r.all_environments ? 'all' : [...(r.environment_ids ?? [])],
    workspace: { id: r.workspace_id, slug: r.workspace_slug, name: r.workspace_name },
    environmentsVersion: r.environments_version,
  }));
}
