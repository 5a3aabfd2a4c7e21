import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { OperationCatalog } from '../../../operations/core/operation-catalog';
import {
  BaselineDriftData,
  EvidenceSection,
  EvidenceSectionKey,
  InventoryCoverageData,
  missingSection,
  NO_COMPARE_IN_PERIOD,
  OperationsHealthData,
  OperationTypeHealth,
  readySection,
} from '../../core/evidence';
import { EvidenceScope, EvidenceSource } from '../../core/ports/evidence-source.port';
import { REVIEW_COMPOSE_TYPE } from '../run-handlers/environment-review-compose.handler';

const SYNC_TYPE = 'inventory.sync';

// Period bounds are calendar dates read as UTC midnight: from inclusive, to exclusive.
const IN_PERIOD = (column: string) =>
  `${column} >= (?::date)::timestamp at time zone 'UTC' and ${column} < (?::date)::timestamp at time zone 'UTC'`;

interface CompareRow {
  id: string;
  profile_id: string;
  profile_name: string;
  findings_count: number;
  completed_at: Date | null;
  inventory_synced_at: Date | null;
}

interface FindingCountRow {
  type: string;
  kind: string;
  count: number;
}

interface SyncRow {
  id: string;
  completed_at: Date;
}

/**
 * Evidence read straight from PostgreSQL (the baselines' and operations' tables), one section at a
 * time. Each section's `basis` is exactly what identifies the evidence, nothing time-varying, so the
 * fingerprint only moves when the evidence does:
 *
 * - baseline_drift: per baseline profile, the latest COMPLETE compare of this environment (as target)
 *   completed within the period, with its findings counted by type and kind. Basis: the compare
 *   result ids and their findings_count.
 * - operations_health: operation runs of the environment created within the period (review compose
 *   runs excluded), per canonical type (a legacy alias row counts for its type, through the
 *   catalog): outcomes, `reconciled` (the run carries a reconciliation record) and
 *   `went_stale`. Deliberately simple: a run "went stale" when the lifecycle reconciler closed it
 *   (reconciliation source `scheduled_reconciler` or `adapter`), because the reconciler only ever
 *   touches runs past their type's stale window; runs closed by the failed-job bridge are
 *   reconciled but not stale. Basis: the aggregate counts.
 * - inventory_coverage: the environment's inventory items per kind and the last successful
 *   inventory.sync, stored under its canonical name or an alias (its completion time). Basis: the counts per kind and that sync's run id.
 */
@Injectable()
export class PostgresEvidenceSource implements EvidenceSource {
  constructor(
    private readonly em: EntityManager,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
  ) {}

  gather(key: EvidenceSectionKey, scope: EvidenceScope): Promise<EvidenceSection> {
    switch (key) {
      case 'baseline_drift':
        return this.baselineDrift(scope);
      case 'operations_health':
        return this.operationsHealth(scope);
      case 'inventory_coverage':
        return this.inventoryCoverage(scope);
    }
  }

  private async baselineDrift(scope: EvidenceScope): Promise<EvidenceSection> {
    const compares = await this.sql<CompareRow>(
      `select distinct on (r.profile_id) r.id, r.profile_id, p.name as profile_name, r.findings_count, r.completed_at, r.inventory_synced_at
       from baseline_compare_results r
       join baseline_profiles p on p.id = r.profile_id
       where r.target_environment_id = ?::uuid and r.status = 'complete' and p.workspace_id = ?::uuid
         and ${IN_PERIOD('r.completed_at')}
       order by r.profile_id, r.completed_at desc, r.id desc`,
      [scope.environmentId, scope.workspaceId, scope.period.from, scope.period.to],
    );
    if (compares.length === 0) return missingSection('baseline_drift', NO_COMPARE_IN_PERIOD);
    compares.sort((a, b) => a.profile_name.localeCompare(b.profile_name) || a.id.localeCompare(b.id));
    const findings = await this.sql<FindingCountRow>(
      `select type, kind, count(*)::int as count from baseline_findings
       where compare_result_id in (?) group by type, kind order by type, kind`,
      [compares.map((c) => c.id)],
    );
    const data: BaselineDriftData = {
      compare_results: compares.map((c) => ({
        id: c.id,
        baseline_name: c.profile_name,
        completed_at: c.completed_at ? new Date(c.completed_at).toISOString() : null,
        findings: c.findings_count,
        inventory_synced_at: c.inventory_synced_at ? new Date(c.inventory_synced_at).toISOString() : null,
      })),
      findings,
    };
    const basis = {
      compare_results: [...compares].sort((a, b) => a.id.localeCompare(b.id)).map((c) => ({ id: c.id, findings_count: c.findings_count })),
    };
    return readySection('baseline_drift', { ...data }, basis);
  }

  private async operationsHealth(scope: EvidenceScope): Promise<EvidenceSection> {
    // Grouped by canonical type: `c` maps every stored name (alias or canonical) to its type.
    const rows = await this.sql<OperationTypeHealth>(
      `select coalesce(c.type, r.type) as type,
         count(*) filter (where r.status = 'completed' and r.outcome = 'succeeded')::int as succeeded,
         count(*) filter (where r.status = 'completed' and r.outcome = 'partially_succeeded')::int as partially_succeeded,
         count(*) filter (where r.status = 'completed' and r.outcome = 'failed')::int as failed,
         count(*) filter (where r.status = 'completed' and r.outcome = 'blocked')::int as blocked,
         count(*) filter (where jsonb_typeof(r.context->'reconciliation') = 'object')::int as reconciled,
         count(*) filter (where r.context->'reconciliation'->>'source' in ('scheduled_reconciler', 'adapter'))::int as went_stale
       from operation_runs r
       left join jsonb_each_text(?::jsonb) as c(name, type) on c.name = r.type
       where r.environment_id = ?::uuid and r.workspace_id = ?::uuid and r.type not in (?) and ${IN_PERIOD('r.created_at')}
       group by 1 order by 1`,
      [
        JSON.stringify(this.catalog.canonicalByStoredName()),
        scope.environmentId,
        scope.workspaceId,
        this.catalog.storedNames(REVIEW_COMPOSE_TYPE),
        scope.period.from,
        scope.period.to,
      ],
    );
    if (rows.length === 0) return missingSection('operations_health', 'No operation ran in this environment in this period.');
    const counts = rows.map((r) => ({
      type: r.type,
      succeeded: r.succeeded,
      partially_succeeded: r.partially_succeeded,
      failed: r.failed,
      blocked: r.blocked,
      reconciled: r.reconciled,
      went_stale: r.went_stale,
    }));
    const data: OperationsHealthData = {
      runs: counts.map((c) => {
        const label = this.catalog.resolve(c.type)?.label;
        return label ? { ...c, label } : c;
      }),
    };
    return readySection('operations_health', { ...data }, { runs: counts });
  }

  private async inventoryCoverage(scope: EvidenceScope): Promise<EvidenceSection> {
    const items = await this.sql<{ kind: string; count: number }>(
      `select kind, count(*)::int as count from inventory_items where environment_id = ?::uuid group by kind order by kind`,
      [scope.environmentId],
    );
    if (items.length === 0) return missingSection('inventory_coverage', 'No inventory has been recorded for this environment.');
    const [sync] = await this.sql<SyncRow>(
      `select id, completed_at from operation_runs
       where environment_id = ?::uuid and type in (?) and status = 'completed' and outcome = 'succeeded'
       order by completed_at desc, id desc limit 1`,
      [scope.environmentId, this.catalog.storedNames(SYNC_TYPE)],
    );
    const data: InventoryCoverageData = {
      items,
      last_successful_sync_at: sync?.completed_at ? new Date(sync.completed_at).toISOString() : null,
    };
    return readySection('inventory_coverage', { ...data }, { items, last_successful_sync_run_id: sync?.id ?? null });
  }

  private sql<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all');
  }
}

