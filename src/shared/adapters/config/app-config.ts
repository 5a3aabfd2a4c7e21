import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isRecord } from '../../core/json-guards';

/**
 * Environment configuration, validated once at boot. Hand-written checks rather than
 * class-validator: env values are strings with per-variable rules, and we want exactly one
 * message per bad variable, collected, naming the variable — never a leaked secret.
 */
import { APP_ROLE_NAMES, AppRole } from '../../core/app-roles';

/** How the app reaches PostgreSQL (DATABASE_POOLER): directly, or through a session- or transaction-mode pooler. */
export const DATABASE_POOLERS = ['none', 'session', 'transaction'] as const;
export type DatabasePooler = (typeof DATABASE_POOLERS)[number];

/**
 * DATABASE_NAMED_STATEMENTS: `auto` runs named prepared statements except behind a transaction-mode
 * pooler; `on` keeps them there too, for a pooler that tracks them (PgBouncer ≥ 1.21 with
 * `max_prepared_statements` > 0); `off` never names them.
 */
export const DATABASE_NAMED_STATEMENT_MODES = ['auto', 'on', 'off'] as const;

export type { AppRole };
export const APP_ROLES = APP_ROLE_NAMES;

export interface AppConfig {
  databaseUrl: string;
  /** How DATABASE_URL reaches PostgreSQL: directly, or through a session- or transaction-mode pooler. */
  databasePooler: DatabasePooler;
  /** Whether statements run as named prepared statements (from DATABASE_NAMED_STATEMENTS and the pooler). */
  databaseNamedStatements: boolean;
  /**
   * A direct connection (no pooler) for `db:migrate`, which takes session-level locks and sets the
   * database's defaults; DATABASE_URL when unset.
   */
  databaseDirectUrl: string;
  redisUrl: string;
  /** REDIS_SENTINELS (`host:port,host:port`): connect through Redis Sentinel instead of REDIS_URL's host. */
  redisSentinels: { host: string; port: number }[];
  /** REDIS_SENTINEL_NAME: the monitored master's name; required with REDIS_SENTINELS. */
  redisSentinelName: string | null;
  /** REDIS_CLUSTER_NODES (`host:port,…`): a Redis Cluster's seed nodes; queue keys are hash-tagged there. */
  redisClusterNodes: { host: string; port: number }[];
  port: number;
  roles: AppRole[];
  queuePrefix: string;
  queueLockDurationMs: number;
  queueStalledIntervalMs: number;
  workerConcurrency: number;
  lifecycleOverrides: unknown | null;
  reconcileEveryS: number;
  /** On SIGTERM, how long running handlers may take to finish before their runs are handed back. */
  shutdownGraceS: number;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /**
   * PUBLIC_URL: where people reach this installation (`https://opsdeck.example.com`), so links
   * handed out of band — invitations, the first-run setup link — are whole URLs; null: paths.
   */
  publicUrl: string | null;
  /** Where the metrics listener (/metrics and the health probes) binds; null when off. */
  metricsListen: ListenAddress | null;
  inventoryFixturesDir: string;
  projectRoot: string;
}

export interface ListenAddress {
  host: string;
  port: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => ` - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The directory holding package.json above `startDir`: same answer from src/ (ts-node) and dist/src/. */
export function findProjectRoot(startDir: string = __dirname): string {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new ConfigError([`no package.json found above ${startDir}`]);
  }
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const r = new EnvReader(env, problems);
  const projectRoot = findProjectRoot();
  const fixturesDir = r.raw('INVENTORY_FIXTURES_DIR') ?? 'config/inventory';
  const databaseUrl = r.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/opsdeck', ['postgres:', 'postgresql:']);
  const databasePooler = r.oneOf('DATABASE_POOLER', 'none', DATABASE_POOLERS);
  const namedStatements = r.oneOf('DATABASE_NAMED_STATEMENTS', 'auto', DATABASE_NAMED_STATEMENT_MODES);
  const config: AppConfig = {
    databaseUrl,
    databasePooler,
    databaseNamedStatements: namedStatements === 'auto' ? databasePooler !== 'transaction' : namedStatements === 'on',
    databaseDirectUrl: r.url('DATABASE_DIRECT_URL', databaseUrl, ['postgres:', 'postgresql:']),
    redisUrl: r.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisSentinels: r.hostPorts('REDIS_SENTINELS'),
    redisSentinelName: r.matching('REDIS_SENTINEL_NAME', '', /^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." or "-"') || null,
    redisClusterNodes: r.hostPorts('REDIS_CLUSTER_NODES'),
    port: r.int('PORT', 3000, 1, 65535),
    roles: r.roles('APP_ROLES', 'web,worker,scheduler'),
    queuePrefix: r.matching('QUEUE_PREFIX', 'opsdeck', /^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." or "-"'),
    queueLockDurationMs: r.int('QUEUE_LOCK_DURATION_MS', 30000, 1000),
    queueStalledIntervalMs: r.int('QUEUE_STALLED_INTERVAL_MS', 30000, 1000),
    workerConcurrency: r.int('WORKER_CONCURRENCY', 5, 1, 100),
    lifecycleOverrides: r.jsonObject('OPS_LIFECYCLE_OVERRIDES'),
    reconcileEveryS: r.int('OPS_RECONCILE_EVERY_S', 60, 1),
    shutdownGraceS: r.int('SHUTDOWN_GRACE_S', 30, 0, 3600),
    metricsToken: r.secret('METRICS_TOKEN', 16),
    publicUrl: r.publicBaseUrl('PUBLIC_URL'),
    metricsListen: r.listenAddress('METRICS_LISTEN', { host: '127.0.0.1', port: 9464 }),
    inventoryFixturesDir: isAbsolute(fixturesDir) ? fixturesDir : resolve(projectRoot, fixturesDir),
    projectRoot,
  };
  if (config.redisSentinels.length && config.redisClusterNodes.length) problems.push('REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other: a Cluster fails over by itself');
  if (config.redisSentinels.length && !config.redisSentinelName) problems.push('REDIS_SENTINEL_NAME must name the monitored master when REDIS_SENTINELS is set');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads one variable at a time, recording a problem and returning the default when bad. */
class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly problems: string[],
  ) {}

  /** Unset and blank are the same: `PORT=` in an env file means "use the default". */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  int(name: string, fallback: number, min: number, max?: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)) return n;
    const range = max === undefined ? `of at least ${min}` : `between ${min} and ${max}`;
    this.problems.push(`${name} must be an integer ${range} (got "${value}")`);
    return fallback;
  }

  /** An http(s) origin with an optional path prefix, no query or fragment; without its trailing slash. */
  publicBaseUrl(name: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    const parsed = parseUrl(value);
    if (parsed && ['http:', 'https:'].includes(parsed.protocol) && parsed.hostname && !parsed.search && !parsed.hash && !parsed.username && !parsed.password) {
      return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
    }
    this.problems.push(`${name} must be an http:// or https:// URL without credentials, query or fragment (got "${redactUrl(value)}")`);
    return null;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = parseUrl(value);
    if (parsed && protocols.includes(parsed.protocol) && parsed.hostname) return value;
    const schemes = protocols.map((p) => `${p}//`).join(' or ');
    this.problems.push(`${name} must be a ${schemes} URL (got "${redactUrl(value)}")`);
    return fallback;
  }

  roles(name: string, fallback: string): AppRole[] {
    const items = (this.raw(name) ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = items.filter((s) => !(APP_ROLES as readonly string[]).includes(s));
    if (unknown.length > 0) {
      this.problems.push(
        `${name} may only list ${APP_ROLES.join(', ')} (unknown: ${unknown.map((u) => `"${u}"`).join(', ')})`,
      );
    } else if (items.length === 0) {
      this.problems.push(`${name} must list at least one of ${APP_ROLES.join(', ')}`);
    }
    return [...new Set(items)].filter((s): s is AppRole => (APP_ROLES as readonly string[]).includes(s));
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  matching(name: string, fallback: string, pattern: RegExp, what: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (pattern.test(value)) return value;
    this.problems.push(`${name} may only contain ${what} (got "${value}")`);
    return fallback;
  }

  /** A comma-separated list of `host:port`; empty when unset. */
  hostPorts(name: string): { host: string; port: number }[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const parsed = items.map((item) => /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(item));
    if (!items.length || parsed.some((m) => !m || Number(m[2]) < 1 || Number(m[2]) > 65535)) {
      this.problems.push(`${name} must be host:port[,host:port…] (got "${value}")`);
      return [];
    }
    return parsed.map((m) => ({ host: m![1], port: Number(m![2]) }));
  }

  /** `host:port` (IPv6 in brackets: `[::1]:9464`), or `off` for none. */
  listenAddress(name: string, fallback: ListenAddress): ListenAddress | null {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value === 'off') return null;
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
    const port = match ? Number(match[3]) : NaN;
    if (match && port >= 1 && port <= 65535) return { host: match[1] ?? match[2], port };
    this.problems.push(`${name} must be host:port (e.g. 127.0.0.1:9464) or "off" (got "${value}")`);
    return fallback;
  }

  /** An optional secret; its value never appears in a message. */
  secret(name: string, minLength: number): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (value.length >= minLength) return value;
    this.problems.push(`${name} must be at least ${minLength} characters long`);
    return null;
  }

  jsonObject(name: string): unknown | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (e) {
      this.problems.push(`${name} must be a JSON object: ${(e as Error).message}`);
      return null;
    }
    if (isRecord(parsed)) return parsed;
    const got = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    this.problems.push(`${name} must be a JSON object: got ${got}`);
    return null;
  }
}

/** Error messages end up in logs: never echo a password from a connection URL. */
function redactUrl(value: string): string {
  return value.replace(/(\/\/[^/@:\s]*:)[^/@\s]*@/, '$1***@');
}

/** The URL `value` names, or null when it names none. */
function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
