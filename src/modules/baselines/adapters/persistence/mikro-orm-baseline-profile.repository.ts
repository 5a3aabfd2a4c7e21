import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { BaselineErrors } from '../../core/baselines-errors';
import {
  BaselineProfile,
  BaselineProfileChanges,
  BaselineProfileRepository,
  NewBaselineProfile,
} from '../../core/ports/baseline-profile.repository.port';
import { isUuid } from '../../../../shared/core/uuid';

interface ProfileRow {
  id: string;
  workspace_id: string;
  name: string;
  source_environment_id: string;
  policy_kinds: string[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, workspace_id, name, source_environment_id, policy_kinds, created_at, updated_at';

const toProfile = (r: ProfileRow): BaselineProfile => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  sourceEnvironmentId: r.source_environment_id,
  policyKinds: r.policy_kinds ?? [],
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

@Injectable()
export class MikroOrmBaselineProfileRepository implements BaselineProfileRepository {
  constructor(private readonly em: EntityManager) {}

  async create(profile: NewBaselineProfile): Promise<BaselineProfile> {
    const [row] = await this.insert(profile);
    if (!row) throw BaselineErrors.nameTaken(profile.name);
    return toProfile(row);
  }

  async update(workspaceId: string, id: string, changes: BaselineProfileChanges): Promise<BaselineProfile | null> {
    if (!isUuid(id)) return null;
    const sets: string[] = [];
    const params: unknown[] = [];
    if (changes.name !== undefined) {
      sets.push('name = ?');
      params.push(changes.name);
    }
    if (changes.policyKinds !== undefined) {
      sets.push('policy_kinds = ?::text[]');
      params.push(toPgTextArray(changes.policyKinds));
    }
    sets.push('updated_at = now()');
    try {
      // The unique (workspace_id, source_environment_id, lower(name)) index decides duplicates, also under concurrency.
      const [row] = await this.sql<ProfileRow>(
        `update baseline_profiles set ${sets.join(', ')} where workspace_id = ?::uuid and id = ?::uuid returning ${COLUMNS}`,
        [...params, workspaceId, id],
      );
      return row ? toProfile(row) : null;
    } catch (error) {
      if (isUniqueViolation(error) && changes.name !== undefined) throw BaselineErrors.nameTaken(changes.name);
      throw error;
    }
  }

  async ensure(profile: NewBaselineProfile): Promise<BaselineProfile> {
    const [row] = await this.insert(profile);
    if (row) return toProfile(row);
    const [existing] = await this.sql<ProfileRow>(
      `select ${COLUMNS} from baseline_profiles
        where workspace_id = ?::uuid and source_environment_id = ?::uuid and lower(name) = lower(?)`,
      [profile.workspaceId, profile.sourceEnvironmentId, profile.name],
    );
    return toProfile(existing);
  }

  async findInWorkspace(workspaceId: string, id: string): Promise<BaselineProfile | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<ProfileRow>(
      `select ${COLUMNS} from baseline_profiles where workspace_id = ?::uuid and id = ?::uuid`,
      [workspaceId, id],
    );
    return row ? toProfile(row) : null;
  }

  async listByWorkspace(workspaceId: string, sourceEnvironmentIds?: string[]): Promise<BaselineProfile[]> {
    if (sourceEnvironmentIds && sourceEnvironmentIds.length === 0) return [];
    const filter = sourceEnvironmentIds ? 'and source_environment_id in (?)' : '';
    const params: unknown[] = sourceEnvironmentIds ? [workspaceId, sourceEnvironmentIds] : [workspaceId];
    const rows = await this.sql<ProfileRow>(
      `select ${COLUMNS} from baseline_profiles where workspace_id = ?::uuid ${filter} order by lower(name), id`,
      params,
    );
    return rows.map(toProfile);
  }

  /**
   * Names are unique per source environment (Migration20261205030000_baseline_names_per_source):
   * whoever may create or rename a profile on a source sees all of that source's profiles, so a
   * conflict never reveals a name on a source the caller cannot see. The index decides duplicates,
   * also under concurrency.
   */
  private insert(profile: NewBaselineProfile): Promise<ProfileRow[]> {
    return this.sql<ProfileRow>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id, policy_kinds)
       values (?::uuid, ?, ?::uuid, ?::text[])
       on conflict (workspace_id, source_environment_id, lower(name)) do nothing
       returning ${COLUMNS}`,
      [profile.workspaceId, profile.name, profile.sourceEnvironmentId, toPgTextArray(profile.policyKinds)],
    );
  }

  private sql<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all', this.em.getTransactionContext());
  }
}

/** Raw execute() hands over the driver's error: 23505 is PostgreSQL's unique_violation. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** A text[] literal ('{"a","b"}'); an array bound to `?` would expand into a comma list. */
export function toPgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
