import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import * as path from 'node:path';

/**
 * Session settings of every app connection.
 * - JIT off: short OLTP statements only; PostgreSQL would compile any plan it estimates expensive
 *   (the reconciler's stale probe at a million runs) and spend ~20 ms doing so on a 1 ms query.
 * - Generic plans: the hot statements are named prepared statements (prepared-sql.ts) whose SQL
 *   is built per filter shape, so one plan per connection serves every call; left to its
 *   heuristic PostgreSQL re-planned them on every call, and planning cost as much as executing
 *   (0.4–0.5 ms of the hub's list statement). ORM statements carry no bind parameters (MikroORM
 *   inlines them), so this setting does not reach them.
 * - random_page_cost 1.1: the working set is in memory or on SSD. With the default (4) the
 *   reconciler's stale probe is a bitmap scan, which never marks the dead index entries that
 *   heartbeats leave in the stale range, so every sweep re-read them all until a vacuum (≈ 9 000
 *   heap visits per sweep after 20 000 heartbeats); an index scan marks them once.
 */
export const APP_SESSION_OPTIONS = '-c jit=off -c plan_cache_mode=force_generic_plan -c random_page_cost=1.1';

// Running from TypeScript sources (ts-node, ts-jest) loads migrations/*.ts; the build loads .js.
const runningFromSources = __filename.endsWith('.ts');

export function buildOrmOptions(databaseUrl: string, projectRoot: string): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    // No module maps an entity: every adapter reads and writes with its own SQL through the
    // forked EntityManager's connection, and migrations are plain SQL. A module that starts
    // mapping one registers it itself (MikroOrmModule.forFeature + autoLoadEntities).
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    preferTs: runningFromSources,
    allowGlobalContext: false,
    debug: false,
    pool: { min: 0, max: 10 },
    driverOptions: { connection: { options: APP_SESSION_OPTIONS } },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.join(projectRoot, 'dist', 'migrations'),
      pathTs: path.join(projectRoot, 'migrations'),
      glob: runningFromSources ? '!(*.d).ts' : '!(*.d).js',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
  };
}
