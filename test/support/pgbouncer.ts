import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { TEST_PG_ADMIN_URL } from './test-env';

/** Debian 12's `pgbouncer` package, 1.18 (scripts/test.sh installs it), or PGBOUNCER_PATH. */
export const PGBOUNCER_PATH = process.env.PGBOUNCER_PATH ?? '/usr/sbin/pgbouncer';
/** A PgBouncer ≥ 1.21, which tracks prepared statements (scripts/test.sh builds 1.24.1 into this cache). */
export const PGBOUNCER_PREPARED_PATH =
  process.env.PGBOUNCER_PREPARED_PATH ?? path.join(process.env.HOME ?? '/tmp', '.cache/opsdeck/pgbouncer-1.24.1/pgbouncer');

export interface PgBouncerOptions {
  /** The ≥ 1.21 build with `max_prepared_statements` set, instead of Debian 12's 1.18. */
  preparedStatements?: boolean;
}

export interface PgBouncer {
  port: number;
  /** DATABASE_URL for `database` through this pooler. */
  url(database: string): string;
  log(): string;
  /** A command on PgBouncer's admin console (`SHOW STATS`, …): its rows. */
  admin(command: string): Promise<Record<string, string>[]>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real PgBouncer in front of the test PostgreSQL, on a free port, in the given pool mode; the
 * process is the test's own and stops with it. PgBouncer refuses to run as root, so as root it is
 * told to switch to the `postgres` user (its working directory is made writable for that).
 */
export async function startPgBouncer(mode: 'transaction' | 'session', options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const binary = options.preparedStatements ? PGBOUNCER_PREPARED_PATH : PGBOUNCER_PATH;
  if (!existsSync(binary)) {
    throw new Error(
      options.preparedStatements
        ? `PgBouncer ≥ 1.21 not found at ${binary}: npm test builds it (scripts/pgbouncer.sh), or set PGBOUNCER_PREPARED_PATH`
        : `PgBouncer not found at ${binary}: npm test installs Debian's pgbouncer, or set PGBOUNCER_PATH`,
    );
  }
  const upstream = new URL(TEST_PG_ADMIN_URL);
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-pgbouncer-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const ini = path.join(dir, 'pgbouncer.ini');
  const logfile = path.join(dir, 'pgbouncer.log');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432} user=${decodeURIComponent(upstream.username || 'postgres')}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      `pool_mode = ${mode}`,
      'max_client_conn = 500',
      'default_pool_size = 20',
      `logfile = ${logfile}`,
      // pg sends extra_float_digits at startup; PgBouncer refuses unknown startup parameters.
      'ignore_startup_parameters = extra_float_digits',
      `admin_users = ${decodeURIComponent(upstream.username || 'postgres')}`,
      // 1.21+: PgBouncer tracks each client's named statements and prepares them on whichever server
      // connection the transaction gets (1.18 does not know the setting).
      ...(options.preparedStatements ? ['max_prepared_statements = 100'] : []),
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const child: ChildProcess = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const log = () => `${output}${existsSync(logfile) ? readFileSync(logfile, 'utf8') : ''}`;
  await waitUntilListening(port, child, log);
  return {
    port,
    url: (database) => `postgres://${upstream.username || 'postgres'}@127.0.0.1:${port}/${database}`,
    log,
    admin: async (command) => {
      // The admin console speaks only the simple query protocol: a query without parameters.
      const client = new Client({ host: '127.0.0.1', port, user: decodeURIComponent(upstream.username || 'postgres'), database: 'pgbouncer' });
      await client.connect();
      try {
        return (await client.query<Record<string, string>>(command)).rows;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PgBouncer exited (${child.exitCode}):\n${log()}`);
    if (log().includes(`listening on 127.0.0.1:${port}`)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`PgBouncer did not start listening on ${port}:\n${log()}`);
}
