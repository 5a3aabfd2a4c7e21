// Parent side of a bench child process: a contender or server under test in its own Node process
// (its own event loop, heap and RSS), driven over IPC. Child side: child-runtime.ts.
//
// Protocol (structured-clone serialization): the parent sends { id, cmd, args }; the child runs
// one command at a time and answers { id, ok: true, value } or { id, ok: false, error }. The
// command "close" makes the child close what it started and exit. A child that exits while a
// command is pending (or before close) fails that command with its exit code and signal.
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import * as path from 'node:path';
import { note } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');
/** Children run compiled, as the app runs in production (`node dist/…`): no TypeScript compiler in their heap or on their CPU. */
const BUILD_DIR = path.join(ROOT, '.bench-build');
let compiled = false;

/** Compiles src/, test/support/ and test/bench/ once per bench run (tsconfig.bench.json, a few seconds). */
function compileOnce(): void {
  if (compiled) return;
  const started = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.bench.json')], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  compiled = true;
  note(`compiled the bench children into ${path.relative(ROOT, BUILD_DIR)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
const CLOSE_TIMEOUT_MS = 30_000;
/** A command taking longer than this is a hung child: it is killed so the bench fails instead of waiting forever. */
const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;

export interface BenchChild {
  name: string;
  pid: number;
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to close and exit; SIGKILLs it after 30 s. Idempotent, never rejects. */
  close(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

const alive = new Set<ChildProcess>();
// Last resort if the parent dies without closing (uncaught error, process.exit): the children's
// own IPC disconnect handler closes them, but a child stuck in a busy loop would not notice.
process.on('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/** BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile of its whole life to <dir>/<name>.cpuprofile on exit. */
function cpuProfileArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** Starts `entry` (a file under test/bench/), compiled to JavaScript. */
export function spawnBenchChild(name: string, entry: string): BenchChild {
  compileOnce();
  const compiledEntry = path.join(BUILD_DIR, path.relative(ROOT, __dirname), entry.replace(/\.ts$/, '.js'));
  const child = fork(compiledEntry, [], {
    cwd: ROOT,
    execArgv: cpuProfileArgs(name),
    env: { ...process.env, BENCH_CHILD_NAME: name },
    // The child's stdout goes to our stderr: stdout carries only the tables and the JSON line.
    stdio: ['ignore', 2, 2, 'ipc'],
    serialization: 'advanced',
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${entry}`);
  alive.add(child);
  const pending = new Map<number, { cmd: string; resolve(value: unknown): void; reject(error: Error): void }>();
  let exit: Error | null = null;
  let closing = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      alive.delete(child);
      exit = new Error(`bench child ${name} (pid ${child.pid}) exited with code ${code}, signal ${signal}`);
      for (const { cmd, reject } of pending.values()) reject(new Error(`${exit.message} while running "${cmd}"`));
      pending.clear();
      if (!closing) note(exit.message);
      resolve();
    });
  });
  child.on('error', (error) => note(`bench child ${name}: ${error.message}`));
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(`bench child ${name}: "${waiter.cmd}" failed: ${message.error}`));
  });
  let seq = 0;
  const call = <T>(cmd: string, args?: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS) =>
    new Promise<T>((resolve, reject) => {
      if (exit) return reject(new Error(`${exit.message}; cannot run "${cmd}"`));
      const id = ++seq;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`bench child ${name}: "${cmd}" did not answer within ${timeoutMs / 1000} s; killing it`));
        child.kill('SIGKILL');
      }, timeoutMs);
      pending.set(id, {
        cmd,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.send({ id, cmd, args }, (error) => error && pending.get(id)?.reject(error));
    });
  return {
    name,
    pid: child.pid,
    call,
    close: async () => {
      closing = true;
      if (!exit) {
        await call('close', undefined, CLOSE_TIMEOUT_MS).catch((error) => {
          if (!exit) note(`${error.message}`);
        });
      }
      if (!exit) {
        // Answered "close" but still alive (a handle keeps its loop busy), or never answered.
        const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Spawns the children and runs `start` on each, concurrently; if any fails, all are closed before rethrowing. */
export async function startChildren<T>(
  specs: { name: string; entry: string; args: unknown }[],
): Promise<{ children: BenchChild[]; started: T[] }> {
  const children = specs.map((s) => spawnBenchChild(s.name, s.entry));
  const outcomes = await Promise.allSettled(children.map((child, i) => child.call<T>('start', specs[i].args)));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    await Promise.all(children.map((c) => c.close()));
    throw failed.reason;
  }
  return { children, started: outcomes.map((o) => (o as PromiseFulfilledResult<T>).value) };
}
