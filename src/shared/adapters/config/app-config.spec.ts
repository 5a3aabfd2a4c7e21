import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppConfig, ConfigError, findProjectRoot, loadAppConfig } from './app-config';

const REPO_ROOT = resolve(__dirname, '../../../..');

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadAppConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAppConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const expected: AppConfig = {
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/opsdeck',
      databasePooler: 'none',
      databaseNamedStatements: true,
      databaseDirectUrl: 'postgres://postgres@127.0.0.1:5432/opsdeck',
      redisUrl: 'redis://127.0.0.1:6379',
      redisSentinels: [],
      redisSentinelName: null,
      redisClusterNodes: [],
      port: 3000,
      roles: ['web', 'worker', 'scheduler'],
      queuePrefix: 'opsdeck',
      queueLockDurationMs: 30000,
      queueStalledIntervalMs: 30000,
      workerConcurrency: 5,
      lifecycleOverrides: null,
      reconcileEveryS: 60,
      shutdownGraceS: 30,
      metricsToken: null,
      publicUrl: null,
      metricsListen: { host: '127.0.0.1', port: 9464 },
      inventoryFixturesDir: join(REPO_ROOT, 'config/inventory'),
      projectRoot: REPO_ROOT,
    };
    expect(loadAppConfig({})).toEqual(expected);
  });

  describe('REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
    it('reads the sentinels and the master name', () => {
      expect(loadAppConfig({ REDIS_SENTINELS: 'sentinel-a:26379, sentinel-b:26380', REDIS_SENTINEL_NAME: 'opsdeck' })).toMatchObject({
        redisSentinels: [
          { host: 'sentinel-a', port: 26379 },
          { host: 'sentinel-b', port: 26380 },
        ],
        redisSentinelName: 'opsdeck',
      });
    });

    it('reads cluster seed nodes, and refuses sentinels and a cluster together', () => {
      expect(loadAppConfig({ REDIS_CLUSTER_NODES: 'r1:7000,r2:7001' }).redisClusterNodes).toEqual([
        { host: 'r1', port: 7000 },
        { host: 'r2', port: 7001 },
      ]);
      expect(problemsOf({ REDIS_CLUSTER_NODES: 'r1:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm' })).toEqual([
        'REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other: a Cluster fails over by itself',
      ]);
    });

    it('refuses a malformed list, and sentinels without a master name', () => {
      expect(problemsOf({ REDIS_SENTINELS: 'sentinel-a' })).toEqual(['REDIS_SENTINELS must be host:port[,host:port…] (got "sentinel-a")']);
      expect(problemsOf({ REDIS_SENTINELS: 'sentinel-a:26379' })).toEqual([
        'REDIS_SENTINEL_NAME must name the monitored master when REDIS_SENTINELS is set',
      ]);
    });
  });

  describe('PUBLIC_URL', () => {
    it('keeps an http(s) origin and path prefix without the trailing slash', () => {
      expect(loadAppConfig({ PUBLIC_URL: 'https://opsdeck.example.com/' }).publicUrl).toBe('https://opsdeck.example.com');
      expect(loadAppConfig({ PUBLIC_URL: 'http://ops.example.com:8080/msp//' }).publicUrl).toBe('http://ops.example.com:8080/msp');
    });

    it('refuses other schemes, credentials, a query or a fragment, naming the variable', () => {
      for (const value of ['ftp://ops.example.com', 'https://ops.example.com/?a=1', 'https://ops.example.com/#x', 'not a url']) {
        expect(problemsOf({ PUBLIC_URL: value })).toEqual([expect.stringMatching(/^PUBLIC_URL must be an http:\/\/ or https:\/\/ URL without credentials, query or fragment/)]);
      }
      const [problem] = problemsOf({ PUBLIC_URL: 'https://admin:hunter2@ops.example.com' });
      expect(problem).not.toContain('hunter2');
    });
  });

  describe('DATABASE_POOLER and DATABASE_DIRECT_URL', () => {
    it('names the pooler mode; the direct URL defaults to DATABASE_URL', () => {
      const config = loadAppConfig({ DATABASE_URL: 'postgres://app@pooler:6432/opsdeck', DATABASE_POOLER: 'transaction' });
      expect(config).toMatchObject({ databasePooler: 'transaction', databaseDirectUrl: 'postgres://app@pooler:6432/opsdeck' });
      expect(loadAppConfig({ DATABASE_POOLER: 'session', DATABASE_DIRECT_URL: 'postgres://app@db:5432/opsdeck' })).toMatchObject({
        databasePooler: 'session',
        databaseDirectUrl: 'postgres://app@db:5432/opsdeck',
      });
    });

    it('names statements except behind a transaction pooler, unless DATABASE_NAMED_STATEMENTS says otherwise', () => {
      const named = (env: NodeJS.ProcessEnv) => loadAppConfig(env).databaseNamedStatements;
      expect(named({})).toBe(true);
      expect(named({ DATABASE_POOLER: 'session' })).toBe(true);
      expect(named({ DATABASE_POOLER: 'transaction' })).toBe(false);
      expect(named({ DATABASE_POOLER: 'transaction', DATABASE_NAMED_STATEMENTS: 'on' })).toBe(true);
      expect(named({ DATABASE_POOLER: 'none', DATABASE_NAMED_STATEMENTS: 'off' })).toBe(false);
      expect(problemsOf({ DATABASE_NAMED_STATEMENTS: 'yes' })).toEqual(['DATABASE_NAMED_STATEMENTS must be one of auto, on, off (got "yes")']);
    });

    it('refuses an unknown mode and a direct URL that is not PostgreSQL, naming both', () => {
      expect(problemsOf({ DATABASE_POOLER: 'statement', DATABASE_DIRECT_URL: 'mysql://x@db/opsdeck' })).toEqual([
        'DATABASE_POOLER must be one of none, session, transaction (got "statement")',
        'DATABASE_DIRECT_URL must be a postgres:// or postgresql:// URL (got "mysql://x@db/opsdeck")',
      ]);
    });
  });

  it('rejects a short METRICS_TOKEN without echoing it', () => {
    expect(() => loadAppConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN must be at least 16 characters long');
    expect(() => loadAppConfig({ METRICS_TOKEN: 'short' })).not.toThrow(/short"/);
  });

  describe('METRICS_LISTEN', () => {
    it.each<[string, { host: string; port: number } | null]>([
      ['10.0.4.7:9464', { host: '10.0.4.7', port: 9464 }],
      ['0.0.0.0:9100', { host: '0.0.0.0', port: 9100 }],
      ['metrics.internal:9464', { host: 'metrics.internal', port: 9464 }],
      ['[::1]:9464', { host: '::1', port: 9464 }],
      ['off', null],
    ])('parses "%s"', (value, address) => {
      expect(loadAppConfig({ METRICS_LISTEN: value }).metricsListen).toEqual(address);
    });

    it.each(['9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'http://127.0.0.1:9464', '::1:9464', 'yes'])(
      'rejects "%s"',
      (value) => {
        expect(problemsOf({ METRICS_LISTEN: value })).toEqual([
          `METRICS_LISTEN must be host:port (e.g. 127.0.0.1:9464) or "off" (got "${value}")`,
        ]);
      },
    );
  });

  it('treats blank values as unset', () => {
    expect(loadAppConfig({ PORT: '', APP_ROLES: '  ', OPS_LIFECYCLE_OVERRIDES: '' })).toMatchObject({
      port: 3000,
      roles: ['web', 'worker', 'scheduler'],
      lifecycleOverrides: null,
    });
  });

  it('reads every variable when valid', () => {
    const config = loadAppConfig({
      DATABASE_URL: 'postgresql://app:secret@db.internal:5433/opsdeck_test',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      PORT: '8080',
      APP_ROLES: 'worker',
      QUEUE_PREFIX: 'opsdeck-test_1.a',
      QUEUE_LOCK_DURATION_MS: '2000',
      QUEUE_STALLED_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '100',
      OPS_LIFECYCLE_OVERRIDES: '{"inventory.sync":{"heartbeat_s":1}}',
      OPS_RECONCILE_EVERY_S: '1',
      INVENTORY_FIXTURES_DIR: '/srv/fixtures',
      METRICS_TOKEN: 'scrape-secret-0123456789',
    });
    expect(config).toMatchObject({
      metricsToken: 'scrape-secret-0123456789',
      databaseUrl: 'postgresql://app:secret@db.internal:5433/opsdeck_test',
      redisUrl: 'rediss://cache.internal:6380/2',
      port: 8080,
      roles: ['worker'],
      queuePrefix: 'opsdeck-test_1.a',
      queueLockDurationMs: 2000,
      queueStalledIntervalMs: 1000,
      workerConcurrency: 100,
      lifecycleOverrides: { 'inventory.sync': { heartbeat_s: 1 } },
      reconcileEveryS: 1,
      inventoryFixturesDir: '/srv/fixtures',
    });
  });

  it('resolves a relative fixtures dir against the project root, not the working directory', () => {
    expect(loadAppConfig({ INVENTORY_FIXTURES_DIR: 'test/fixtures/inv' }).inventoryFixturesDir).toBe(
      join(REPO_ROOT, 'test/fixtures/inv'),
    );
  });

  describe('APP_ROLES', () => {
    it.each<[string, string[]]>([
      ['web', ['web']],
      ['worker,scheduler', ['worker', 'scheduler']],
      [' web , worker ', ['web', 'worker']],
      ['web,web,worker,web', ['web', 'worker']],
      ['scheduler,,web', ['scheduler', 'web']],
    ])('parses "%s"', (value, roles) => {
      expect(loadAppConfig({ APP_ROLES: value }).roles).toEqual(roles);
    });

    it.each<[string, string]>([
      ['web,admin', 'APP_ROLES may only list web, worker, scheduler (unknown: "admin")'],
      ['Web,cron', 'APP_ROLES may only list web, worker, scheduler (unknown: "Web", "cron")'],
      [',', 'APP_ROLES must list at least one of web, worker, scheduler'],
    ])('rejects "%s"', (value, problem) => {
      expect(problemsOf({ APP_ROLES: value })).toEqual([problem]);
    });
  });

  it.each<[string, string, string]>([
    ['PORT', 'abc', 'PORT must be an integer between 1 and 65535 (got "abc")'],
    ['PORT', '0', 'PORT must be an integer between 1 and 65535 (got "0")'],
    ['PORT', '65536', 'PORT must be an integer between 1 and 65535 (got "65536")'],
    ['PORT', '80.5', 'PORT must be an integer between 1 and 65535 (got "80.5")'],
    ['PORT', '1e3', 'PORT must be an integer between 1 and 65535 (got "1e3")'],
    ['QUEUE_LOCK_DURATION_MS', '999', 'QUEUE_LOCK_DURATION_MS must be an integer of at least 1000 (got "999")'],
    ['QUEUE_STALLED_INTERVAL_MS', '-5', 'QUEUE_STALLED_INTERVAL_MS must be an integer of at least 1000 (got "-5")'],
    ['WORKER_CONCURRENCY', '0', 'WORKER_CONCURRENCY must be an integer between 1 and 100 (got "0")'],
    ['WORKER_CONCURRENCY', '101', 'WORKER_CONCURRENCY must be an integer between 1 and 100 (got "101")'],
    ['OPS_RECONCILE_EVERY_S', '0', 'OPS_RECONCILE_EVERY_S must be an integer of at least 1 (got "0")'],
    ['QUEUE_PREFIX', 'ops deck', 'QUEUE_PREFIX may only contain letters, digits, "_", "." or "-" (got "ops deck")'],
    ['QUEUE_PREFIX', 'ops:deck', 'QUEUE_PREFIX may only contain letters, digits, "_", "." or "-" (got "ops:deck")'],
    ['DATABASE_URL', 'mysql://db/opsdeck', 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://db/opsdeck")'],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "not a url")'],
    ['REDIS_URL', 'http://cache:6379', 'REDIS_URL must be a redis:// or rediss:// URL (got "http://cache:6379")'],
    ['OPS_LIFECYCLE_OVERRIDES', '[1]', 'OPS_LIFECYCLE_OVERRIDES must be a JSON object: got an array'],
    ['OPS_LIFECYCLE_OVERRIDES', '42', 'OPS_LIFECYCLE_OVERRIDES must be a JSON object: got a number'],
    ['OPS_LIFECYCLE_OVERRIDES', 'null', 'OPS_LIFECYCLE_OVERRIDES must be a JSON object: got null'],
  ])('%s=%s is reported', (name, value, problem) => {
    expect(problemsOf({ [name]: value })).toEqual([problem]);
  });

  it('reports unparseable OPS_LIFECYCLE_OVERRIDES with the parser problem', () => {
    const [problem] = problemsOf({ OPS_LIFECYCLE_OVERRIDES: "{'inventory.sync': {}}" });
    expect(problem).toMatch(/^OPS_LIFECYCLE_OVERRIDES must be a JSON object: .+/);
    expect(problem).not.toBe('OPS_LIFECYCLE_OVERRIDES must be a JSON object: ');
  });

  it('never echoes a password from a rejected connection URL', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://app:hunter2@db/opsdeck' });
    expect(problem).toBe('DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://app:***@db/opsdeck")');
    expect(problem).not.toContain('hunter2');
  });

  it('lists several bad values together, one line each, in a ConfigError', () => {
    let error: unknown;
    try {
      loadAppConfig({ PORT: 'abc', WORKER_CONCURRENCY: '500', APP_ROLES: 'web,cron', REDIS_URL: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      [
        'Invalid configuration:',
        ' - REDIS_URL must be a redis:// or rediss:// URL (got "x")',
        ' - PORT must be an integer between 1 and 65535 (got "abc")',
        ' - APP_ROLES may only list web, worker, scheduler (unknown: "cron")',
        ' - WORKER_CONCURRENCY must be an integer between 1 and 100 (got "500")',
      ].join('\n'),
    );
  });

  it('reads process.env when no environment is passed', () => {
    const saved = process.env.PORT;
    process.env.PORT = '4321';
    try {
      expect(loadAppConfig().port).toBe(4321);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});

describe('findProjectRoot', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'opsdeck-root-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds the repository root from this source directory by default', () => {
    expect(findProjectRoot()).toBe(REPO_ROOT);
  });

  it('walks up from a built dist/src path to the directory holding package.json', () => {
    const deep = join(tmp, 'dist/src/shared/adapters/config');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(tmp, 'package.json'), '{}');
    expect(findProjectRoot(deep)).toBe(tmp);
  });

  it('throws a ConfigError when no package.json exists above the start directory', () => {
    const deep = join(tmp, 'a/b');
    mkdirSync(deep, { recursive: true });
    // tmpdir() normally has no package.json above it; skip rather than fail if a host has one.
    if (hasPackageJsonAbove(tmp)) return;
    expect(() => findProjectRoot(deep)).toThrow(ConfigError);
  });
});

function hasPackageJsonAbove(dir: string): boolean {
  try {
    findProjectRoot(dir);
    return true;
  } catch {
    return false;
  }
}
