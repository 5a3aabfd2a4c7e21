import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import * as path from 'node:path';
import { OperationRunSchema } from '../../../modules/operations/adapters/persistence/operation-run.schema';
import {
  ManagedEnvironmentSchema,
  WorkspaceSchema,
} from '../../../modules/rbac/adapters/persistence/tenancy.schema';

export const ENTITY_SCHEMAS = [WorkspaceSchema, ManagedEnvironmentSchema, OperationRunSchema];

// Running from TypeScript sources (ts-node, ts-jest) loads migrations/*.ts; the build loads .js.
const runningFromSources = __filename.endsWith('.ts');

export function buildOrmOptions(databaseUrl: string, projectRoot: string): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: ENTITY_SCHEMAS,
    extensions: [Migrator],
    preferTs: runningFromSources,
    allowGlobalContext: false,
    debug: false,
    pool: { min: 0, max: 10 },
    // Short OLTP statements only: PostgreSQL's JIT would compile any plan it estimates expensive
    // (the reconciler's stale probe at a million runs) and spend ~20 ms doing so on a 1 ms query.
    driverOptions: { connection: { options: '-c jit=off' } },
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
