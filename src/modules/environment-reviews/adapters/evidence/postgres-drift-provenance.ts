import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DriftProvenance, FindingCount } from '../../core/ports/drift-provenance.port';
import { isUuid } from '../../../../shared/core/uuid';

/** Provenance of cited compare results, read from the baselines' tables. */
@Injectable()
export class PostgresDriftProvenance implements DriftProvenance {
  constructor(private readonly em: EntityManager) {}

  async sourcesOf(compareResultIds: string[]): Promise<Map<string, string>> {
    // Ids come from stored documents: anything that is not a uuid cannot be on record.
    const ids = compareResultIds.filter((id) => isUuid(id));
    if (ids.length === 0) return new Map();
    const rows = await this.sql<{ id: string; source_environment_id: string }>(
      `select r.id, p.source_environment_id from baseline_compare_results r
       join baseline_profiles p on p.id = r.profile_id
       where r.id in (?)`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.source_environment_id]));
  }

  /** One statement per set, the composer's own (PostgresEvidenceSource), so order and counts match. */
  async findingsOf(sets: string[][]): Promise<FindingCount[][]> {
    const out: FindingCount[][] = [];
    for (const set of sets) {
      const ids = set.filter((id) => isUuid(id));
      out.push(
        ids.length === 0
          ? []
          : await this.sql<FindingCount>(
              `select type, kind, count(*)::int as count from baseline_findings
               where compare_result_id in (?) group by type, kind order by type, kind`,
              [ids],
            ),
      );
    }
    return out;
  }

  private sql<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all');
  }
}
