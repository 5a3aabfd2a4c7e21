import { rememberPerRequest } from '../../../../shared/adapters/http/request-memo';
import { MembershipGrant } from '../../core/authorization-policy';
import { rememberWorkspace } from './mikro-orm-tenancy-directory';

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

export const grantsMemoKey = (userId: string) => `grants:${userId}`;

/** Request-memo key of a member workspace's environments_version, as this request's grants read it. */
export const environmentsVersionKey = (workspaceId: string) => `environments-version:${workspaceId}`;

/** The grants of these rows; their workspace rows are remembered for the rest of the request. */
export function grantsFromRows(rows: GrantRow[]): MembershipGrant[] {
  for (const r of rows) {
    rememberWorkspace({ id: r.workspace_id, slug: r.workspace_slug, name: r.workspace_name });
    rememberPerRequest(environmentsVersionKey(r.workspace_id), r.environments_version);
  }
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    role: r.role,
    // A copy: the rows may be held across requests (grants-by-credential.ts).
    environmentIds: r.all_environments ? 'all' : [...(r.environment_ids ?? [])],
  }));
}

/** Called by the session and token lookups: this request's grants come with the user's identity. */
export function rememberGrantsOf(userId: string, rows: GrantRow[]): void {
  rememberPerRequest(grantsMemoKey(userId), grantsFromRows(rows));
}
