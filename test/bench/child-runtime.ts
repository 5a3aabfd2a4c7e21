// Child side of a bench child process (parent side and protocol: child-process.ts). The child
// closes what it started and exits on "close", when the parent goes away (IPC disconnect: the
// parent crashed or was killed), on SIGTERM / SIGINT, and on an error nothing else caught.
import { note } from './harness';

export type Commands = Record<string, (args: never) => Promise<unknown>>;

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}

/** Serves the parent's commands one at a time; `close` is called once, whether or not "start" ran. */
export function serveParent(commands: Commands, close: () => Promise<void>): void {
  if (!process.send) throw new Error('a bench child must be started by child-process.ts (no IPC channel)');
  const name = process.env.BENCH_CHILD_NAME ?? 'child';
  let closed: Promise<void> | null = null;
  const shutdown = (code: number) => {
    closed ??= close()
      .catch((error) => note(`${name}: closing failed: ${error?.stack ?? error}`))
      .then(() => process.exit(code));
    return closed;
  };
  const reply = (message: Record<string, unknown>) =>
    new Promise<void>((resolve) => (process.connected ? process.send!(message, () => resolve()) : resolve()));
  let queue = Promise.resolve();
  process.on('message', (request: Request) => {
    queue = queue.then(async () => {
      if (request.cmd === 'close') {
        closed ??= close().catch((error) => note(`${name}: closing failed: ${error?.stack ?? error}`));
        await closed;
        await reply({ id: request.id, ok: true });
        process.exit(0);
      }
      const command = commands[request.cmd];
      try {
        if (!command) throw new Error(`unknown command "${request.cmd}"`);
        await reply({ id: request.id, ok: true, value: await command(request.args as never) });
      } catch (error) {
        await reply({ id: request.id, ok: false, error: (error as Error)?.stack ?? String(error) });
      }
    });
  });
  process.on('disconnect', () => void shutdown(1));
  process.on('SIGTERM', () => void shutdown(1));
  process.on('SIGINT', () => void shutdown(1));
  const crash = (error: unknown) => {
    note(`${name}: ${(error as Error)?.stack ?? error}`);
    void shutdown(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
