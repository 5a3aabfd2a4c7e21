// The app under HTTP load (web role) in its own process, so the load generator in the bench
// process does not share its event loop. Started and driven by app-server.ts; protocol:
// child-process.ts. Commands:
//   "start" { db, queuePrefix } → { port, projectRoot, bootMs, rssMb }
//   "captureSqlStart" { includes } / "captureSqlStop" → the statements sent at the pg driver (text,
//       bound values, prepared name) whose text contains every string of `includes`
//   "countSqlStart" / "countSqlStop" → statements by kind, counted at the pg driver
//   "recordModelsStart" { views } / "recordModelsStop" → the first model rendered per view
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { ViewService } from '../../src/shared/adapters/views/view.service';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import type { BenchDatabaseRef } from './bench-database';
import { serveParent } from './child-runtime';
import { BENCH_OPERATION_TYPES, BenchHandlersModule } from './noop-handler';
import { CapturedStatement, captureSql } from './sql-capture';
import { installDriverSqlCounter } from './sql-counter';
import { recordModels } from './view-model-recorder';
import { BenchPooler, poolerEnv } from './bench-pooler';

export interface AppServerStart {
  db: BenchDatabaseRef;
  queuePrefix: string;
  /** Connect only through this pooler (PgBouncer, transaction mode) instead of the database's own URL. */
  pooler?: BenchPooler;
}

export interface AppServerStarted {
  port: number;
  projectRoot: string;
  bootMs: number;
  rssMb: number;
}

let app: TestApp | undefined;
let capture: { stop(): CapturedStatement[] } | undefined;
let models: { stop(): Record<string, Record<string, unknown>> } | undefined;
// Installed before the app opens a connection; counts nothing until countSqlStart.
const driverSql = installDriverSqlCounter(() => false);

const started = () => {
  if (!app) throw new Error('command before "start"');
  return app;
};

serveParent(
  {
    start: async ({ db, queuePrefix, pooler }: AppServerStart): Promise<AppServerStarted> => {
      // startTestApp only reads the URL of a database it was given; creating and dropping it is the parent's.
      const database: TestDatabase = {
        name: db.name,
        url: db.url,
        query: () => Promise.reject(new Error('the app server child has no monitor connection')),
        drop: () => Promise.reject(new Error(`database ${db.name} belongs to the parent process`)),
      };
      app = await startTestApp({
        roles: ['web'],
        database,
        queuePrefix,
        extraTypes: BENCH_OPERATION_TYPES,
        imports: [BenchHandlersModule],
        env: pooler ? poolerEnv(pooler) : {},
      });
      await app.app.listen(0, '127.0.0.1');
      const port = (app.app.getHttpServer().address() as AddressInfo).port;
      return { port, projectRoot: app.config.projectRoot, bootMs: process.uptime() * 1000, rssMb: process.memoryUsage().rss / 2 ** 20 };
    },
    captureSqlStart: async ({ includes }: { includes: string[] }) => {
      capture?.stop();
      capture = captureSql((sql) => includes.every((part) => sql.includes(part)));
    },
    captureSqlStop: async () => {
      const sql = capture?.stop() ?? [];
      capture = undefined;
      return sql;
    },
    countSqlStart: async () => driverSql.start(),
    countSqlStop: async () => driverSql.stop(),
    recordModelsStart: async ({ views }: { views: string[] }) => {
      models?.stop();
      models = recordModels(started().get<ViewService>(ViewService), views);
    },
    recordModelsStop: async () => {
      const recorded = models?.stop() ?? {};
      models = undefined;
      return recorded;
    },
  },
  // keepDatabase false: obliterates the app's queue; the database itself is the parent's (given, so never dropped here).
  async () => app?.close({ keepDatabase: false }),
);
