import { insertRunRow } from '../../../../../test/support/run-rows';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';
import { OperationsHealthData } from '../../core/evidence';
import { EVIDENCE_SOURCE, EvidenceSource } from '../../core/ports/evidence-source.port';
import { ReviewPeriod } from '../../core/review-period';

/**
 * Review evidence reads runs stored under legacy aliases as their canonical type (issue 14
 * item 9): rows written as `inventory_sync` by an old deploy count in the one `inventory.sync`
 * line of operations health and can be the last successful sync; a legacy `tenant.review.compose`
 * run is a compose run like any other and never counts.
 */
describe('PostgresEvidenceSource and legacy type aliases', () => {
  let t: TestApp;
  let scope: DemoScope;
  let evidence: EvidenceSource;
  let period: ReviewPeriod;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    evidence = t.get<EvidenceSource>(EVIDENCE_SOURCE);
    const [{ from, to }] = await t.db.query<{ from: string; to: string }>(
      `select to_char(now() at time zone 'UTC' - interval '2 days', 'YYYY-MM-DD') as from,
              to_char(now() at time zone 'UTC' + interval '2 days', 'YYYY-MM-DD') as to`,
    );
    period = { from, to, label: `${from}..${to}` };
  });

  afterAll(async () => {
    await t?.close();
  });

  const gather = (key: 'operations_health' | 'inventory_coverage', environment: string) =>
    evidence.gather(key, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds[environment], period });

  it('counts alias rows in their canonical type, labelled once, and leaves legacy compose runs out', async () => {
    const env = { workspaceId: scope.workspaceId, environmentId: scope.environmentIds.fabrikam, createdAgoS: 60 };
    await insertRunRow(t.db, { ...env, type: 'inventory.sync', status: 'completed', outcome: 'succeeded' });
    await insertRunRow(t.db, { ...env, type: 'inventory_sync', status: 'completed', outcome: 'succeeded' });
    await insertRunRow(t.db, { ...env, type: 'inventory_sync', status: 'completed', outcome: 'failed' });
    await insertRunRow(t.db, { ...env, type: 'baseline_compare', status: 'completed', outcome: 'blocked' });
    await insertRunRow(t.db, { ...env, type: 'tenant.review.compose', status: 'completed', outcome: 'succeeded' });
    await insertRunRow(t.db, { ...env, type: 'environment.review.compose', status: 'completed', outcome: 'failed' });

    const section = await gather('operations_health', 'fabrikam');
    const zero = { partially_succeeded: 0, reconciled: 0, went_stale: 0 };
    expect((section.data as unknown as OperationsHealthData).runs).toEqual([
      { type: 'baseline.compare', label: 'Baseline compare', succeeded: 0, failed: 0, blocked: 1, ...zero },
      { type: 'inventory.sync', label: 'Inventory sync', succeeded: 2, failed: 1, blocked: 0, ...zero },
    ]);
    expect(section.basis).toEqual({
      runs: [
        { type: 'baseline.compare', succeeded: 0, failed: 0, blocked: 1, ...zero },
        { type: 'inventory.sync', succeeded: 2, failed: 1, blocked: 0, ...zero },
      ],
    });
  });

  it('finds the last successful sync when an old deploy stored it under the alias', async () => {
    const env = { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], createdAgoS: 60 };
    await t.db.query(
      `insert into inventory_items (environment_id, kind, external_id, display_name, settings, content_hash)
       values ($1, 'deviceConfiguration', 'x-1', 'Legacy item', '{}', 'h')`,
      [env.environmentId],
    );
    const legacy = await insertRunRow(t.db, { ...env, type: 'inventory_sync', status: 'completed', outcome: 'succeeded' });
    const [{ completed_at }] = await t.db.query<{ completed_at: Date }>('select completed_at from operation_runs where id = $1', [legacy]);

    const section = await gather('inventory_coverage', 'contoso-hq');
    expect(section.state).toBe('ready');
    expect(section.data).toMatchObject({ last_successful_sync_at: new Date(completed_at).toISOString() });
    expect(section.basis).toMatchObject({ last_successful_sync_run_id: legacy });
  });
});
