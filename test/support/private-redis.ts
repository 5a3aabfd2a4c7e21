import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * A Redis server of the test's own, on a free port, for scenarios that stop Redis: the shared
 * Redis at 6379 keeps running for everyone else. No persistence (`--save "" --appendonly no`),
 * so a stopped-and-started server comes back empty, as a crashed cache host would.
 */
export interface PrivateRedis {
  port: number;
  url: string;
  /** True while the server process runs. */
  readonly running: boolean;
  /** Starts the server (again, on the same port); resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops the server (SIGKILL by default: no goodbye to connected clients) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the server for good and removes its working directory. */
  dispose(): Promise<void>;
  output(): string;
}

/** `extraArgs` go to redis-server after the defaults (e.g. `--replicaof 127.0.0.1 <port>`). */
export async function startPrivateRedis(extraArgs: string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-redis-'));
  let child: ChildProcess | null = null;
  let log = '';

  const start = async (): Promise<void> => {
    if (child) return;
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    const append = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-10_000);
    };
    proc.stdout!.on('data', append);
    proc.stderr!.on('data', append);
    proc.once('exit', () => {
      if (child === proc) child = null;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (await answersPing(port)) return;
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`redis-server on port ${port} exited at start:\n${log}`);
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    proc.kill(signal);
    await exited;
    child = null;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => log,
  };
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One raw RESP PING over a fresh socket: no client library, no retries. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString('utf8').startsWith('+PONG')));
  });
}
