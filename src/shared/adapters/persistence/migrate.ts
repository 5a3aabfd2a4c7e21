import { MikroORM } from '@mikro-orm/postgresql';
import { buildOrmOptions } from './mikro-orm.config';
import { ensureDatabaseExists } from './database-admin';

/** Applies pending migrations; used by the CLI and the test global setup, never on app boot. */
export async function migrateDatabase(databaseUrl: string, projectRoot: string): Promise<string[]> {
  await ensureDatabaseExists(databaseUrl);
  const orm = await MikroORM.init(buildOrmOptions(databaseUrl, projectRoot));
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
