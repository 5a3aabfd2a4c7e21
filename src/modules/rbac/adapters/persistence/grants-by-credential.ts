import { BoundedMap } from '../../../../shared/core/bounded-map';
import { GrantRow } from './member-grants.sql';

/**
 * The grants an app instance last read for a credential (a session's or an API token's hash),
 * with the user's `grants_version` at that read. The lookup statement sends them back and
 * PostgreSQL aggregates the grants again only when the version moved (migration
 * Migration20261204220000_user_grants_version): every change to a user's memberships,
 * entitlements or member workspaces moves it in the same transaction, so a cached answer is
 * exactly what a fresh read would return. Nothing here decides access: it only saves the
 * aggregate.
 */
export interface KnownGrants {
  userId: string;
  version: string;
  rows: GrantRow[];
}

/** Enough for every signed-in user of a large MSP; the oldest entry goes first beyond it. */
const known = new BoundedMap<string, KnownGrants>(10_000);

export function knownGrants(credentialHash: string): KnownGrants | undefined {
  return known.get(credentialHash);
}

export function keepGrants(credentialHash: string, grants: KnownGrants): void {
  known.set(credentialHash, grants);
}

export function forgetGrants(credentialHash: string): void {
  known.delete(credentialHash);
}

/**
 * The grants column of a lookup statement: null when the row's user and version are the ones the
 * caller holds. Binds the held user id and version (or nulls).
 */
export const grantsUnlessKnownSql = (userColumn: string, versionColumn: string, grantsSql: string) =>
  `case when ${userColumn} = ?::uuid and ${versionColumn} = ?::bigint then null else ${grantsSql} end`;

/** The held user id and version to bind, nulls when nothing is held. */
export const knownParams = (held: KnownGrants | undefined): [string | null, string | null] =>
  held ? [held.userId, held.version] : [null, null];

/** The grants rows of a lookup's answer: its own when it sent them, else the held ones (kept fresh either way). */
export function resolveGrants(
  credentialHash: string,
  held: KnownGrants | undefined,
  row: { user_id: string; grants_version: string; grants: GrantRow[] | null },
): GrantRow[] {
  const rows = row.grants ?? (held && held.userId === row.user_id && held.version === row.grants_version ? held.rows : null);
  if (!rows) throw new Error('the lookup sent no grants for a version this instance does not hold');
  keepGrants(credentialHash, { userId: row.user_id, version: row.grants_version, rows });
  return rows;
}
