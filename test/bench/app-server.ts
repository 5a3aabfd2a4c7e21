import { CapturedStatement } from './sql-capture';
// Parent side of app-server-child.ts: the app (web role) listening in its own process, with the
// hooks the benchmarks need from inside it (SQL capture, driver SQL count, recorded view models).
import type { AppServerStart, AppServerStarted } from './app-server-child';
import { BenchDatabase, benchDatabaseRef } from './bench-database';
import { spawnBenchChild } from './child-process';
import { note } from './harness';
import { BenchPooler } from './bench-pooler';

export interface AppServer {
  pid: number;
  port: number;
  projectRoot: string;
  /** Captures the SQL text of statements containing every string of `includes` (all if empty) until `stop()`. */
  captureSql(includes: string[]): Promise<{ stop(): Promise<CapturedStatement[]> }>;
  /** Counts statements at the app's pg driver until `stop()`, by kind. */
  countSql(): Promise<{ stop(): Promise<Record<string, number>> }>;
  /** Records the first model the app renders for each of `views` until `stop()`. */
  recordModels(views: string[]): Promise<{ stop(): Promise<Record<string, Record<string, unknown>>> }>;
  close(): Promise<void>;
}

export async function startAppServer(db: BenchDatabase, queuePrefix: string, pooler?: BenchPooler): Promise<AppServer> {
  const name = pooler ? `app-server-pgbouncer${pooler.namedStatements ? '-named' : ''}` : 'app-server';
  const child = spawnBenchChild(name, 'app-server-child.ts');
  let started: AppServerStarted;
  try {
    started = await child.call<AppServerStarted>('start', { db: benchDatabaseRef(db), queuePrefix, pooler } satisfies AppServerStart);
  } catch (error) {
    await child.close();
    throw error;
  }
  note(`  app server${pooler ? ` (through PgBouncer, ${pooler.namedStatements ? 'named' : 'unnamed'} statements)` : ''} pid ${child.pid} on port ${started.port} (up after ${(started.bootMs / 1000).toFixed(1)} s, ${started.rssMb.toFixed(0)} MiB)`);
  const session = <T>(start: string, stop: string, args?: unknown) => async () => {
    await child.call(start, args);
    return { stop: () => child.call<T>(stop) };
  };
  return {
    pid: child.pid,
    port: started.port,
    projectRoot: started.projectRoot,
    captureSql: (includes) => session<CapturedStatement[]>('captureSqlStart', 'captureSqlStop', { includes })(),
    countSql: () => session<Record<string, number>>('countSqlStart', 'countSqlStop')(),
    recordModels: (views) => session<Record<string, Record<string, unknown>>>('recordModelsStart', 'recordModelsStop', { views })(),
    close: () => child.close(),
  };
}
