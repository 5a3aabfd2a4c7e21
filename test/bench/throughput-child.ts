// One throughput contender in its own process (started by throughput-bench.ts through
// child-process.ts), so its RSS and CPU are its own and not the bench's or another contender's.
// Commands: "start" { contender, db, poolSize, settings } → { bootMs, rssMb } (since process start);
//           "batch" { n } → ThroughputBatch: the contender's runBatch(n) as is, plus this
//           process's CPU and the SQL statements counted at the pg driver while the batch ran.
import 'reflect-metadata';
import { BenchDatabase, BenchDatabaseRef, openBenchDatabase } from './bench-database';
import { serveParent } from './child-runtime';
import { BatchResult, BenchSettings, Contender, startBareBullmq, startNaive, startOpsdeck } from './contenders';
import { DriverSqlCounter, installDriverSqlCounter } from './sql-counter';

export type ContenderName = 'opsdeck' | 'opsdeck-pgbouncer' | 'opsdeck-fleet' | 'naive' | 'bare-bullmq';
/** The fleet's other processes: started and stopped, never asked for a batch. */
export type FleetMemberName = 'opsdeck-fleet-2' | 'opsdeck-fleet-scheduler';

export interface ThroughputStart {
  contender: ContenderName | FleetMemberName;
  db: BenchDatabaseRef;
  /** The naive contender's pool: as large as the app's MikroORM pool. */
  poolSize: number;
  settings: BenchSettings;
  /** opsdeck-pgbouncer: the database through the parent's PgBouncer (transaction mode). */
  poolerUrl?: string;
}

export interface ThroughputBatch extends BatchResult {
  /** This process's user + system CPU over the batch, in ms (PostgreSQL and Redis: measured by the parent). */
  nodeCpuMs: number;
  /** Statements sent at the pg driver while the batch ran, by kind; null for a contender without SQL. */
  sql: Record<string, number> | null;
}

let db: BenchDatabase | undefined;
let contender: Contender | undefined;
let sql: DriverSqlCounter | undefined;
let hasSql = false;

serveParent(
  {
    start: async (o: ThroughputStart) => {
      hasSql = o.contender !== 'bare-bullmq';
      if (hasSql) {
        db = await openBenchDatabase(o.db, o.poolSize);
        const monitor = db.monitor;
        // The completion polling (waitForCompletedRuns) is the bench's, not the contender's.
        sql = installDriverSqlCounter((client) => client === monitor);
      }
      if (o.contender === 'opsdeck') contender = await startOpsdeck(db!, o.settings);
      else if (o.contender === 'opsdeck-pgbouncer') contender = await startOpsdeck(db!, o.settings, { poolerUrl: o.poolerUrl });
      // A fleet: this process dispatches and works; a second works too; a third only schedules.
      else if (o.contender === 'opsdeck-fleet' || o.contender === 'opsdeck-fleet-2') {
        contender = await startOpsdeck(db!, o.settings, { fleet: { roles: ['web', 'worker'] } });
      } else if (o.contender === 'opsdeck-fleet-scheduler') contender = await startOpsdeck(db!, o.settings, { fleet: { roles: ['scheduler'] } });
      else if (o.contender === 'naive') contender = await startNaive(db!, o.settings);
      else contender = await startBareBullmq(o.settings);
      // From process start: loading the app's modules is most of a boot.
      return { bootMs: process.uptime() * 1000, rssMb: process.memoryUsage().rss / 2 ** 20 };
    },
    batch: async ({ n }: { n: number }): Promise<ThroughputBatch> => {
      if (!contender) throw new Error('"batch" before "start"');
      const cpu = process.cpuUsage();
      sql?.start();
      let result: BatchResult;
      let counted: Record<string, number> | null;
      try {
        result = await contender.runBatch(n);
      } finally {
        counted = sql?.stop() ?? null;
      }
      const used = process.cpuUsage(cpu);
      return { ...result, nodeCpuMs: (used.user + used.system) / 1000, sql: hasSql ? counted : null };
    },
  },
  async () => {
    // The app (or queue and worker) first: it holds connections of the pool and Redis.
    await contender?.close();
    await db?.disconnect();
  },
);
