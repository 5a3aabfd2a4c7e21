import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import * as path from 'node:path';
import type { DatabasePooler } from '../config/app-config';
import { APP_SESSION_OPTIONS } from './session-settings';

export { APP_SESSION_OPTIONS } from './session-settings';

// Running from TypeScript sources (ts-node, ts-jest) loads migrations/*.ts; the build loads .js.
const runningFromSources = __filename.endsWith('.ts');

export function buildOrmOptions(
  databaseUrl: string,
  projectRoot: string,
  pooler: DatabasePooler = 'none',
): Options<PostgreSqlDriver> {
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
    // A pooler refuses the `options` startup parameter; behind one the settings are the database's
    // own defaults (session-settings.ts), which every server connection it opens takes.
    driverOptions: { connection: pooler === 'none' ? { options: APP_SESSION_OPTIONS } : {} },
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
