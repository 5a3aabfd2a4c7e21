import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { TestApp } from './test-app';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKER_ENTRY = 'test/support/worker-process.ts';

/**
 * A worker that is a separate OS process (test/support/worker-process.ts) on a test app's
 * database, Redis and queue prefix, so a test can SIGKILL it for real.
 */
export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the process printed `worker ready`; rejects if it exits or hangs first. */
  ready: Promise<void>;
  exited: Promise<void>;
  output(): string;
  /** SIGKILL (no goodbye, like a crashed host) and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a rolling deploy's stop) and wait until the process has drained and exited. */
  terminate(): Promise<void>;
}

const spawned = new Set<WorkerProcess>();

export function spawnWorker(t: TestApp, extraEnv: Record<string, string> = {}): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APP_ROLES: 'worker',
    DATABASE_URL: t.db.url,
    REDIS_URL: t.config.redisUrl,
    QUEUE_PREFIX: t.config.queuePrefix,
    QUEUE_LOCK_DURATION_MS: String(t.config.queueLockDurationMs),
    QUEUE_STALLED_INTERVAL_MS: String(t.config.queueStalledIntervalMs),
    WORKER_CONCURRENCY: '5',
    ...extraEnv,
  };
  delete env.OPS_LIFECYCLE_OVERRIDES;
  delete env.LOG_LEVEL;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', WORKER_ENTRY], {
    cwd: ROOT,
    env,
    // The IPC channel lets the worker notice a dead parent and exit by itself.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not ready within 90 s:\n${log}`)), 90_000);
    child.stdout!.on('data', () => {
      if (/^worker ready$/m.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited before ready (code ${code}, signal ${signal}):\n${log}`));
    });
  });
  ready.catch(() => undefined);
  const worker: WorkerProcess = {
    child,
    ready,
    exited,
    output: () => log,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      spawned.delete(worker);
    },
    terminate: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      spawned.delete(worker);
    },
  };
  spawned.add(worker);
  return worker;
}

/** SIGKILLs every worker process still alive (for afterAll). */
export async function killAllWorkers(): Promise<void> {
  await Promise.all([...spawned].map((w) => w.kill()));
}
