import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TEST_PG_ADMIN_URL } from './test-env';

/** Debian's `pgbouncer` package (scripts/test.sh installs it), or PGBOUNCER_PATH. */
export const PGBOUNCER_PATH = process.env.PGBOUNCER_PATH ?? '/usr/sbin/pgbouncer';

export interface PgBouncer {
  port: number;
  /** DATABASE_URL for `database` through this pooler. */
  url(database: string): string;
  log(): string;
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
export async function startPgBouncer(mode: 'transaction' | 'session'): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_PATH)) {
    throw new Error(`PgBouncer not found at ${PGBOUNCER_PATH}: npm test installs Debian's pgbouncer, or set PGBOUNCER_PATH`);
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
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_PATH, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const log = () => `${output}${existsSync(logfile) ? readFileSync(logfile, 'utf8') : ''}`;
  await waitUntilListening(port, child, log);
  return {
    port,
    url: (database) => `postgres://${upstream.username || 'postgres'}@127.0.0.1:${port}/${database}`,
    log,
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
