import { Queue } from 'bullmq';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { RUN_QUEUE_NAME } from '../../src/modules/operations/adapters/queue/run-queue.constants';
import { redisOptionsFromUrl } from '../../src/shared/adapters/redis-connection';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { databaseUrl, TEST_DB_PREFIX, TEST_PG_ADMIN_URL, TEST_REDIS_URL } from '../support/test-env';
import { cliNodeArgs } from '../support/cli-entry';

/**
 * The operator CLI (`npm run cli -- <command>`) exercised as real child processes against a real
 * PostgreSQL and Redis. Each invocation pays a few seconds of ts-node startup, so the tests share
 * state in order and independent invocations run side by side.
 */

// Real processes on a shared machine: a busy host can make one CLI call take 10s or more.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const QUEUE_PREFIX = `opsdeck_test_${process.pid}_cli_${randomBytes(4).toString("hex")}`;
// Test databases are named after their owning process, so concurrent test runs leave this one alone.
const FRESH_DB = `${TEST_DB_PREFIX}${process.pid}_cli_${randomBytes(4).toString('hex')}`;
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const START_HQ = ['run:start', '--workspace', 'contoso-msp', '--environment', 'contoso-hq', '--type', 'inventory.sync'];
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Parallel CLI processes compete for CPU (ts-node startup); two at a time keeps them prompt. */
const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  // A finishing call hands its slot straight to the next waiter, so the limit is never exceeded.
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await spawnCli(args, env);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function spawnCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX,
  };
  delete childEnv.LOG_LEVEL;
  delete childEnv.OPS_LIFECYCLE_OVERRIDES;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      cliNodeArgs(args),
      { cwd: ROOT, env: childEnv, timeout: 45_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error.killed || typeof error.code !== 'number')) {
          reject(new Error(`cli ${args.join(' ')} did not exit normally (${error.message})\nstderr:\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as unknown as number) : 0, stdout, stderr });
      },
    );
  });
}

function lastLine(output: string): string {
  return output.trimEnd().split('\n').pop() ?? '';
}

/** The run document: the last stdout line must be one JSON object. */
function runJson(result: CliResult): Record<string, any> {
  const line = lastLine(result.stdout);
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`last stdout line is not JSON: ${JSON.stringify(line)}\nstderr:\n${result.stderr}`);
  }
}

/** Shows the whole process output when the exit code is not the expected one. */
function expectExit(result: CliResult, code: number): void {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual(
    expect.objectContaining({ code }),
  );
}

async function adminQuery(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** run:start may have enqueued jobs under this file's prefix; nothing else is touched. */
async function removeQueueKeys(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 200);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

let db: TestDatabase;

beforeAll(async () => {
  // A migrated database (cloned from the template) for everything except db:migrate itself.
  db = await createTestDatabase();
});

afterAll(async () => {
  await adminQuery(`drop database if exists "${FRESH_DB}" with (force)`);
  await db?.drop();
  await removeQueueKeys();
});

describe('npm run cli', () => {
  describe('db:migrate', () => {
    it('creates a missing database, applies every migration, then reports it is up to date', async () => {
      expect(await adminQuery('select 1 from pg_database where datname = $1', [FRESH_DB])).toHaveLength(0);
      const env = { DATABASE_URL: databaseUrl(FRESH_DB) };

      const first = await cli(['db:migrate'], env);
      expectExit(first, 0);
      const shipped = readdirSync(path.join(ROOT, 'migrations'))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort();
      expect(shipped.length).toBeGreaterThan(0);
      expect(lastLine(first.stdout)).toBe(`Applied ${shipped.length} migration(s): ${shipped.join(', ')}`);

      const { tables, applied } = await withClient(databaseUrl(FRESH_DB), async (c) => ({
        tables: (await c.query(`select to_regclass('public.operation_runs') as runs, to_regclass('public.workspaces') as ws`))
          .rows[0],
        applied: (await c.query('select name from mikro_orm_migrations order by name')).rows.map((r) => r.name),
      }));
      expect(tables).toEqual({ runs: 'operation_runs', ws: 'workspaces' });
      expect(applied).toEqual(shipped);

      const again = await cli(['db:migrate'], env);
      expectExit(again, 0);
      expect(lastLine(again.stdout)).toBe('Database is up to date.');
    });

    it('makes the app session settings the database defaults, so a plain connection through a pooler gets them', async () => {
      // A plain connection: no startup options, as PgBouncer opens them.
      const settings = await withClient(databaseUrl(FRESH_DB), async (c) =>
        (await c.query(`select current_setting('jit') as jit, current_setting('plan_cache_mode') as plans, current_setting('random_page_cost') as rpc`)).rows[0],
      );
      expect(settings).toEqual({ jit: 'off', plans: 'force_generic_plan', rpc: '1.1' });
    });
  });

  describe('seed:demo', () => {
    it('creates the demo tenancy and is idempotent', async () => {
      const first = await cli(['seed:demo']);
      expectExit(first, 0);
      expect(lastLine(first.stdout)).toBe('Demo data ready: 2 workspaces, 4 environments.');

      const second = await cli(['seed:demo']);
      expectExit(second, 0);
      expect(lastLine(second.stdout)).toBe('Demo data ready: 2 workspaces, 4 environments.');

      const [counts] = await db.query<{ workspaces: string; environments: string }>(
        `select (select count(*) from workspaces) as workspaces, (select count(*) from managed_environments) as environments`,
      );
      expect(counts).toEqual({ workspaces: '2', environments: '4' });
      const slugs = await db.query<{ slug: string }>('select slug from workspaces order by slug');
      expect(slugs.map((r) => r.slug)).toEqual(['contoso-msp', 'tailspin-msp']);
    });
  });

  describe('lifecycle:validate', () => {
    it('accepts the shipped catalog and rejects overrides that break the lifecycle invariants', async () => {
      const [valid, invalid] = await Promise.all([
        cli(['lifecycle:validate']),
        cli(['lifecycle:validate'], {
          OPS_LIFECYCLE_OVERRIDES: JSON.stringify({ 'inventory.sync': { heartbeat_s: 1, stale_running_after_s: 2 } }),
        }),
      ]);

      expectExit(valid, 0);
      expect(lastLine(valid.stdout)).toMatch(/^Lifecycle policies are valid for \d+ operation type\(s\): .*inventory\.sync/);

      expectExit(invalid, 1);
      expect(invalid.stdout).toBe('');
      expect(invalid.stderr).toContain('Lifecycle configuration is invalid');
      const violations = invalid.stderr.split('\n').filter((l) => l.startsWith(' - '));
      expect(violations.length).toBeGreaterThan(0);
      for (const v of violations) expect(v).toMatch(/^ - inventory\.sync: stale_running_after_s \(2s\)/);
      expect(invalid.stderr).toMatch(/three heartbeat intervals \(3 × 1s = 3s\)/);
      expect(invalid.stderr).not.toMatch(STACK_FRAME);
    });
  });

  describe('run:start / run:show', () => {
    let started: Record<string, any>;

    it('starts a system-initiated run, prints it as JSON last, and enqueues its job', async () => {
      const result = await cli(START_HQ);
      expectExit(result, 0);
      expect(result.stderr).toContain('Run queued.');
      started = runJson(result);
      expect(started).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'inventory.sync',
        status: 'queued',
        outcome: 'pending',
        workspace: { slug: 'contoso-msp', name: 'Contoso MSP' },
        environment: { slug: 'contoso-hq', name: 'Contoso HQ' },
        initiator: null,
        started_at: null,
        completed_at: null,
        freshness: 'fresh',
        progress: { mode: 'none' },
        presentation: { headline: 'Waiting for worker.' },
        reconciliation: null,
        failures: [],
      });
      expect(Date.parse(started.created_at)).not.toBeNaN();
      expect(started).not.toHaveProperty('diagnostics');

      const rows = await db.query<Record<string, any>>(
        `select r.status, r.outcome, r.type, r.initiator_user_id, r.context, e.slug as environment
           from operation_runs r join managed_environments e on e.id = r.environment_id where r.id = $1`,
        [started.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'queued',
        outcome: 'pending',
        type: 'inventory.sync',
        initiator_user_id: null,
        environment: 'contoso-hq',
      });
      expect(rows[0].context.dispatch.operation_run_id).toBe(started.id);

      // The job really reached the queue under this run's id (no worker runs here, so it waits).
      const queue = new Queue(RUN_QUEUE_NAME, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: QUEUE_PREFIX });
      try {
        const job = await queue.getJob(started.id);
        expect(job?.name).toBe('inventory.sync');
        expect(job?.data).toEqual({ operationRunId: started.id });
      } finally {
        await queue.close();
      }
    });

    it('returns the active run instead of starting a duplicate', async () => {
      const result = await cli(START_HQ);
      expectExit(result, 0);
      expect(result.stderr).toContain('Already queued');
      const again = runJson(result);
      expect(again.id).toBe(started.id);
      expect(again.status).toBe('queued');
      const [{ count }] = await db.query<{ count: string }>(
        `select count(*) from operation_runs r join managed_environments e on e.id = r.environment_id
          where e.slug = 'contoso-hq'`,
      );
      expect(count).toBe('1');
    });

    it('run:show prints the run (with diagnostics) and fails cleanly for an unknown id', async () => {
      const [shown, missing] = await Promise.all([cli(['run:show', started.id]), cli(['run:show', NIL_UUID])]);

      expectExit(shown, 0);
      const { diagnostics, ...document } = runJson(shown);
      expect(document).toEqual(started);
      expect(typeof diagnostics).toBe('object');

      expectExit(missing, 1);
      expect(missing.stdout).toBe('');
      expect(missing.stderr.trim()).toBe(`Run "${NIL_UUID}" was not found.`);
    });
  });

  describe('run:start refusals', () => {
    // Independent invocations, started together; each test awaits its own.
    let results: Record<string, Promise<CliResult>>;

    beforeAll(async () => {
      // An archived environment of contoso-msp: it keeps its history and takes no new runs.
      await db.query(
        `insert into managed_environments (workspace_id, slug, display_name, archived_at)
         select id, 'retired-env', 'Retired', now() from workspaces where slug = 'contoso-msp'`,
      );
      const start = (over: Record<string, string>) => {
        const flags = { workspace: 'contoso-msp', environment: 'contoso-hq', type: 'inventory.sync', ...over };
        return ['run:start', ...Object.entries(flags).flatMap(([k, v]) => (v === '' ? [] : [`--${k}`, v]))];
      };
      const launch = (args: string[], env?: Record<string, string>) => {
        const p = cli(args, env);
        p.catch(() => undefined); // awaited (and reported) by its own test
        return p;
      };
      results = {
        // Slowest first (it waits out the enqueue timeout), so it overlaps the others.
        unreachable: launch(start({ environment: 'fabrikam' }), { REDIS_URL: UNREACHABLE_REDIS }),
        unknownType: launch(start({ type: 'nope' })),
        missingWorkspace: launch(start({ workspace: '' })),
        unknownWorkspace: launch(start({ workspace: 'x' })),
        unexpectedInput: launch([...start({}), '--input', '{"x":1}']),
        unknownCommand: launch(['run:frobnicate']),
        archived: launch(start({ environment: 'retired-env' })),
      };
    });

    it('refuses an archived environment (environment_archived) and records no run', async () => {
      const result = await results.archived;
      expectExit(result, 1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe('Environment "retired-env" is archived: it accepts no new runs. Restore it to start runs again.');
      const [{ count }] = await db.query<{ count: string }>(
        `select count(*) from operation_runs r join managed_environments e on e.id = r.environment_id where e.slug = 'retired-env'`,
      );
      expect(count).toBe('0');
    });

    it('rejects an unknown operation type and lists the known ones', async () => {
      const result = await results.unknownType;
      expectExit(result, 1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Unknown operation type "nope"');
      expect(result.stderr).toMatch(/Known types: .*inventory\.sync/);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });

    it('exits 2 with the usage when a required flag is missing', async () => {
      const result = await results.missingWorkspace;
      expectExit(result, 2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Missing --workspace');
      expect(result.stderr).toContain('Usage: npm run cli -- <command>');
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });

    it('names a workspace that does not exist', async () => {
      const result = await results.unknownWorkspace;
      expectExit(result, 1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe('Workspace "x" was not found.');
    });

    it('rejects input the operation type does not take', async () => {
      const result = await results.unexpectedInput;
      expectExit(result, 1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/unexpected field "x"/);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });

    it('exits 2 with the usage for an unknown command', async () => {
      const result = await results.unknownCommand;
      expectExit(result, 2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Unknown command "run:frobnicate"');
      expect(result.stderr).toContain('Usage: npm run cli -- <command>');
    });

    it('closes the run as failed when Redis is unreachable: exit 1, no queued ghost run', async () => {
      const result = await results.unreachable;
      expectExit(result, 1);
      expect(result.stderr).toContain('could not be queued');
      const run = runJson(result);
      expect(run).toMatchObject({
        type: 'inventory.sync',
        status: 'completed',
        outcome: 'failed',
        environment: { slug: 'fabrikam' },
        initiator: null,
        failures: [{ code: 'dispatch_failed' }],
      });
      expect(run.completed_at).not.toBeNull();

      const rows = await db.query<Record<string, any>>(
        `select r.id, r.status, r.outcome, r.context from operation_runs r
           join managed_environments e on e.id = r.environment_id where e.slug = 'fabrikam'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: run.id, status: 'completed', outcome: 'failed' });
      expect(rows[0].context.failures[0].code).toBe('dispatch_failed');
      expect(rows[0].context.diagnostics.dispatch_error).toBeDefined();
    });

    it('none of the refusals left a run behind', async () => {
      await Promise.allSettled(Object.values(results));
      const rows = await db.query<{ type: string; status: string }>('select type, status from operation_runs order by status');
      expect(rows).toEqual([
        { type: 'inventory.sync', status: 'completed' }, // fabrikam, dispatch failed
        { type: 'inventory.sync', status: 'queued' }, // contoso-hq, from run:start above
      ]);
    });
  });

  describe('run:cancel / run:retry', () => {
    it('cancels the queued run at once, refuses a second cancel, and retries it with lineage', async () => {
      const [queued] = await db.query<{ id: string }>(`select id from operation_runs where status = 'queued'`);
      const cancelled = await cli(['run:cancel', queued.id]);
      expectExit(cancelled, 0);
      expect(cancelled.stderr).toContain('Cancelled.');
      expect(runJson(cancelled)).toMatchObject({ id: queued.id, status: 'completed', outcome: 'cancelled', cancellation: { requested_by: null } });

      const again = await cli(['run:cancel', queued.id]);
      expectExit(again, 1);
      expect(again.stdout).toBe('');
      expect(again.stderr.trim()).toBe('The run has already completed; there is nothing to cancel.');

      const retried = await cli(['run:retry', queued.id]);
      expectExit(retried, 0);
      expect(retried.stderr).toContain('Retry queued.');
      const retry = runJson(retried);
      expect(retry).toMatchObject({ status: 'queued', type: 'inventory.sync', retry_of: queued.id, initiator: null });
      const [old] = await db.query<{ retried_as: string }>(`select context->>'retried_as' as retried_as from operation_runs where id = $1`, [queued.id]);
      expect(old.retried_as).toBe(retry.id);
      const audit = await db.query<{ action: string; actor_label: string }>(
        `select action, actor_label from audit_events where subject_id in ($1, $2) and actor_label = 'cli' order by id`,
        [queued.id, retry.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['operation.cancel_requested', 'operation.start_requested']);
    });

    it('refuses unknown ids and a missing id without a stack trace', async () => {
      const [unknown, missing, active] = await Promise.all([
        cli(['run:retry', NIL_UUID]),
        cli(['run:cancel']),
        cli(['run:retry', 'not-a-uuid']),
      ]);
      expectExit(unknown, 1);
      expect(unknown.stderr.trim()).toBe('Not found.');
      expectExit(missing, 2);
      expect(missing.stderr).toContain('Missing <run-id>');
      expectExit(active, 1);
      for (const r of [unknown, missing, active]) expect(r.stderr).not.toMatch(STACK_FRAME);
    });
  });
  describe('run:bulk / run:fan-out', () => {
    it('starts a bulk run and a fan-out run acting for the named user, within their scope', async () => {
      const bulk = await cli(['run:bulk', '--workspace', 'contoso-msp', '--as', 'owner@opsdeck.test', '--action', 'cancel', '--filter', '{"tab":"active"}']);
      expectExit(bulk, 0);
      expect(bulk.stderr).toContain('Bulk run queued.');
      expect(runJson(bulk)).toMatchObject({ type: 'operations.bulk_cancel', status: 'queued', environment: null });
      const [stored] = await db.query<{ initiator: string; filter: unknown }>(
        `select u.email as initiator, r.context->'inputs'->'filter' as filter from operation_runs r join users u on u.id = r.initiator_user_id where r.id = $1`,
        [runJson(bulk).id],
      );
      expect(stored).toEqual({ initiator: 'owner@opsdeck.test', filter: { tab: 'active' } });

      const fan = await cli(['run:fan-out', '--workspace', 'contoso-msp', '--as', 'owner@opsdeck.test', '--type', 'inventory.sync', '--environments', 'contoso-hq,fabrikam']);
      expectExit(fan, 0);
      expect(runJson(fan)).toMatchObject({ type: 'operations.fan_out', status: 'queued' });

      const limited = await cli(['run:bulk', '--workspace', 'contoso-msp', '--as', 'operator@opsdeck.test', '--action', 'cancel']);
      expectExit(limited, 1);
      expect(limited.stderr).toContain('needs access to every environment');
    });

    it('refuses an unknown user, bad JSON and a missing flag without a stack trace', async () => {
      const [unknown, badJson, missing] = await Promise.all([
        cli(['run:bulk', '--workspace', 'contoso-msp', '--as', 'nobody@opsdeck.test', '--action', 'cancel']),
        cli(['run:bulk', '--workspace', 'contoso-msp', '--as', 'owner@opsdeck.test', '--action', 'cancel', '--filter', '{tab']),
        cli(['run:fan-out', '--workspace', 'contoso-msp', '--as', 'owner@opsdeck.test']),
      ]);
      expectExit(unknown, 1);
      expect(unknown.stderr.trim()).toBe('No user with email "nobody@opsdeck.test".');
      expectExit(badJson, 2);
      expect(badJson.stderr).toContain('--filter must be JSON');
      expectExit(missing, 2);
      expect(missing.stderr).toContain('Missing --type');
      for (const r of [unknown, badJson, missing]) expect(r.stderr).not.toMatch(STACK_FRAME);
    });
  });
});
