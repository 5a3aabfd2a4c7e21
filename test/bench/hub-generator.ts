import { insertApiToken } from '../support/api-personas';
import { BenchDatabase } from './bench-database';

/** Catalog types (with a policy: can go stale) and fake ones (no policy: never stale). */
export const HUB_REAL_TYPES = ['inventory.sync', 'baseline.capture', 'baseline.compare', 'environment.review.compose'];
export const HUB_FAKE_TYPES = ['hub.fake.alpha', 'hub.fake.beta', 'hub.fake.gamma', 'hub.fake.delta'];
const DAYS = 180;

export interface HubDataSpec {
  runs: number;
  workspaces: number;
  environments: number;
}

export interface HubData extends HubDataSpec {
  /** Workspace slugs hub-w001…, in id order of the arrays below. */
  workspaceSlugs: string[];
  workspaceIds: string[];
  /** Environment slugs env-01… (the same in every workspace). */
  environmentSlugs: string[];
  /** Owner of every hub workspace (all environments). */
  ownerToken: string;
  /** Operator limited to the first 5 environments of every hub workspace. */
  limitedToken: string;
  limitedEnvironmentCount: number;
  activeRuns: number;
  generateMs: number;
  vacuumAnalyzeMs: number;
}

/**
 * Tenancy first (row by row, it is small), then every run in ONE set-based INSERT … SELECT over
 * generate_series: 8 types round-robin, ~2 % active (recent, healthy heartbeats: nothing stale),
 * completed runs spread pseudo-randomly over 180 days with a realistic outcome mix and ~0.5 %
 * reconciled. VACUUM ANALYZE afterwards: statistics and the visibility map, as a live table has.
 */
export async function generateHubData(db: BenchDatabase, spec: HubDataSpec): Promise<HubData> {
  const { runs, workspaces, environments } = spec;
  await db.query(
    `insert into workspaces (slug, name)
     select format('hub-w%s', lpad(w::text, 3, '0')), format('Hub workspace %s', w) from generate_series(1, $1::int) w`,
    [workspaces],
  );
  await db.query(
    `insert into managed_environments (workspace_id, slug, display_name)
     select w.id, format('env-%s', lpad(e::text, 2, '0')), format('Environment %s', e)
       from workspaces w cross join generate_series(1, $1::int) e where w.slug like 'hub-w%'`,
    [environments],
  );
  const [owner] = await db.query<{ id: string }>(
    `insert into users (email, display_name, password_hash) values ('hub-owner@bench.test', 'Hub owner', 'x') returning id`,
  );
  const [limited] = await db.query<{ id: string }>(
    `insert into users (email, display_name, password_hash) values ('hub-operator@bench.test', 'Hub operator', 'x') returning id`,
  );
  await db.query(
    `insert into memberships (user_id, workspace_id, role, all_environments)
     select $1::uuid, id, 'owner', true from workspaces where slug like 'hub-w%'`,
    [owner.id],
  );
  const limitedEnvironmentCount = Math.min(5, environments);
  await db.query(
    `insert into memberships (user_id, workspace_id, role, all_environments)
     select $1::uuid, id, 'operator', false from workspaces where slug like 'hub-w%'`,
    [limited.id],
  );
  await db.query(
    `insert into membership_environments (membership_id, environment_id)
     select m.id, e.id from memberships m join managed_environments e on e.workspace_id = m.workspace_id
      where m.user_id = $1::uuid and e.slug <= format('env-%s', lpad($2::text, 2, '0'))`,
    [limited.id, limitedEnvironmentCount],
  );
  const ownerToken = await insertApiToken(db, owner.id, 'hub bench owner');
  const limitedToken = await insertApiToken(db, limited.id, 'hub bench operator');

  const started = Date.now();
  await db.query(
    `with ws as (select array_agg(id order by slug) as a from workspaces where slug like 'hub-w%'),
          env as (select array_agg(e.id order by w.slug, e.slug) as a
                    from managed_environments e join workspaces w on w.id = e.workspace_id where w.slug like 'hub-w%'),
          types as (select $4::text[] as a),
          g as (
            select g,
                   g % $2::int as wi,
                   (g / $2::int) % $3::int as ei,
                   -- independent pseudo-random draws, so type, state and outcome mix in every workspace
                   ((g::bigint * 40503) % 10061) % 8 as ti,
                   ((g::bigint * 2246822519) % 10007) % 50 = 7 as active,
                   ((g::bigint * 3266489917) % 10009) % 100 as o,
                   ((g::bigint * 668265263) % 10037) % 200 = 3 as reconciled,
                   -- pseudo-random spread over 180 days (Knuth multiplicative hash), at least a minute old
                   now() - interval '1 minute' - make_interval(secs => ((g::bigint * 2654435761) % ($5::bigint * 86400))::float8) as old_at
              from generate_series(0, $1::int - 1) g
          )
     insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
                                 summary_counts, attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at)
     select gen_random_uuid(),
            ws.a[1 + g.wi],
            env.a[1 + g.wi * $3::int + g.ei],
            types.a[1 + g.ti],
            case when not g.active then 'completed' when g.ti < 4 then 'running' else 'queued' end,
            case when g.active then 'pending'
                 when g.reconciled then 'failed'
                 when g.o < 85 then 'succeeded' when g.o < 92 then 'failed' when g.o < 95 then 'partially_succeeded'
                 when g.o < 97 then 'blocked' else 'cancelled' end,
            'hub-' || g.g,
            case when g.active then jsonb_build_object('attempts', jsonb_build_array(jsonb_build_object(
                   'n', 1, 'started_at', now(), 'ended_at', null, 'error_code', null)))
                 when g.reconciled then jsonb_build_object(
                   'attempts', jsonb_build_array(jsonb_build_object('n', 1, 'started_at', g.old_at, 'ended_at', null, 'error_code', 'stale_running')),
                   'reconciliation', jsonb_build_object('version', 1, 'reason', 'stale_running', 'source', 'scheduled_reconciler',
                     'decision', 'failed', 'reconciled_at', g.old_at + interval '10 minutes', 'previous_status', 'running'))
                 else jsonb_build_object('attempts', jsonb_build_array(jsonb_build_object(
                   'n', 1, 'started_at', g.old_at + interval '1 second', 'ended_at', g.old_at + interval '30 seconds', 'error_code', null))) end,
            case when g.active then '{}'::jsonb else jsonb_build_object('processed', g.g % 40, 'failed', (g.o >= 85)::int) end,
            case when g.active and g.ti >= 4 then 0 else 1 end,
            -- active: recent; running ones heartbeat within 20 s (types with a policy: 90 s window)
            case when g.active then now() - make_interval(secs => (g.g % 240)::float8) else g.old_at end,
            case when g.active and g.ti >= 4 then null when g.active then now() - make_interval(secs => (g.g % 240)::float8)
                 else g.old_at + interval '1 second' end,
            case when g.active and g.ti < 4 then now() - make_interval(secs => (g.g % 20)::float8)
                 when g.active then null else g.old_at + interval '25 seconds' end,
            case when g.active then null else g.old_at + interval '30 seconds' end,
            case when g.active then now() else g.old_at + interval '30 seconds' end
       from g, ws, env, types`,
    [runs, workspaces, environments, [...HUB_REAL_TYPES, ...HUB_FAKE_TYPES], DAYS],
  );
  const generateMs = Date.now() - started;
  const vacuumStarted = Date.now();
  await db.query('vacuum (analyze) operation_runs');
  const vacuumAnalyzeMs = Date.now() - vacuumStarted;
  const ws = await db.query<{ id: string; slug: string }>(`select id, slug from workspaces where slug like 'hub-w%' order by slug`);
  const [active] = await db.query<{ n: string }>(`select count(*) as n from operation_runs where status in ('queued', 'running')`);
  return {
    ...spec,
    workspaceSlugs: ws.map((w) => w.slug),
    workspaceIds: ws.map((w) => w.id),
    environmentSlugs: Array.from({ length: environments }, (_, i) => `env-${String(i + 1).padStart(2, '0')}`),
    ownerToken,
    limitedToken,
    limitedEnvironmentCount,
    activeRuns: Number(active.n),
    generateMs,
    vacuumAnalyzeMs,
  };
}

/** Keeps the ~2 % active runs healthy (a long full run would otherwise age them past their windows). */
export async function refreshActiveRuns(db: BenchDatabase): Promise<void> {
  await db.query(`update operation_runs set last_heartbeat_at = now() where status = 'running' and fingerprint like 'hub-%'`);
}
