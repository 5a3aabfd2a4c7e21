import { Client } from 'pg';

/** Creates the database named in the URL when missing (a fresh machine has only `postgres`). */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be letters, digits or _.`);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    // Identifiers cannot be bound as parameters; the name was checked against a strict pattern.
    await client.query(`create database "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}
