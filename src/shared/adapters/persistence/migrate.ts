import { MikroORM } from '@mikro-orm/postgresql';
import { buildOrmOptions } from './mikro-orm.config';
import { ensureDatabaseExists } from './database-admin';
import { sessionDefaultsSql } from './session-settings';

/**
 * The app's session settings as the database's defaults, so that connections a pooler opens get
 * them too. Needs the database's owner (or a superuser): where the role may not, say so and go on —
 * direct connections carry the settings themselves, and through a pooler only plans get slower.
 */
async function applySessionDefaults(orm: MikroORM): Promise<void> {
  try {
    await orm.em.getConnection().execute(sessionDefaultsSql());
  } catch (error) {
    process.stderr.write(
      `Could not make the app's session settings the database's defaults: ${(error as Error).message}. ` +
        'Direct connections carry them anyway; behind a connection pooler, run db:migrate once as the database owner.\n',
    );
  }
}

/** Applies pending migrations; used by the CLI and the test global setup, never on app boot. */
export async function migrateDatabase(databaseUrl: string, projectRoot: string): Promise<string[]> {
  await ensureDatabaseExists(databaseUrl);
  const orm = await MikroORM.init(buildOrmOptions(databaseUrl, projectRoot));
  try {
    const applied = await orm.getMigrator().up();
    // Every time, not as a migration: a database cloned from a template does not inherit them.
    await applySessionDefaults(orm);
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
