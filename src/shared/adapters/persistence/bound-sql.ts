import { EntityManager } from '@mikro-orm/postgresql';

/** Scalars only: a JS array would bind as a PostgreSQL array instead of expanding into a list. */
export type BoundParam = string | number | boolean | Date | null;

/**
 * Runs a statement with its parameters bound by the driver. The ORM's `execute` escapes every
 * parameter into the SQL text, which for one large JSON document (a sweep batch of thousands of
 * rows) costs more than the statement itself; bound, PostgreSQL reads it as-is.
 */
export async function boundRows<T>(em: EntityManager, sql: string, params: BoundParam[]): Promise<T[]> {
  const result = await em.getConnection().getKnex().raw(sql, params);
  return (result as { rows: T[] }).rows;
}

interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<void>;
}

/** Distinct statement texts get a name; past this many (a caller building unbounded SQL) they run unnamed. */
const MAX_PREPARED = 256;
const prepared = new Map<string, { name: string; text: string }>();

function preparedFor(sql: string): { name?: string; text: string } {
  let statement = prepared.get(sql);
  if (!statement) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    if (prepared.size >= MAX_PREPARED) return { text };
    statement = { name: `opsdeck_${prepared.size + 1}`, text };
    prepared.set(sql, statement);
  }
  return statement;
}

/**
 * A hot-path statement (`?` placeholders, no `?` elsewhere in the text) as a named prepared
 * statement on a pooled connection: PostgreSQL parses and plans it once per connection instead of
 * on every run transition, and the values travel bound. Inside a transaction it runs on the
 * transaction's connection through the ORM instead.
 */
export async function preparedRows<T>(em: EntityManager, sql: string, params: BoundParam[]): Promise<T[]> {
  if (em.getTransactionContext()) return boundRows<T>(em, sql, params);
  const client = (em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({ ...preparedFor(sql), values: params });
    return result.rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
