import { EntityManager } from '@mikro-orm/postgresql';

/** A scalar parameter (a list is a `PreparedParam`). */
export type BoundParam = string | number | boolean | Date | null;

interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<void>;
}

/** A `?` parameter: a scalar, or a non-empty list that expands into `(?, ?, …)` as the ORM's would. */
export type PreparedParam = BoundParam | readonly BoundParam[];

/** Distinct statement shapes get a name; past this many (a caller building unbounded SQL) they run unnamed. */
const MAX_PREPARED = 256;
const prepared = new Map<string, { name?: string; text: string }>();

function toPositional(sql: string, params: readonly PreparedParam[]): string {
  let n = 0;
  let i = 0;
  return sql.replace(/\?/g, () => {
    const param = params[i++];
    if (!Array.isArray(param)) return `$${++n}`;
    return param.map(() => `$${++n}`).join(', ');
  });
}

function statementFor(sql: string, params: readonly PreparedParam[]): { name?: string; text: string } {
  // A list's length is part of the statement's shape.
  const lists = params.some(Array.isArray) ? params.map((p) => (Array.isArray(p) ? p.length : '')).join(',') : '';
  const key = lists ? `${sql}\u0000${lists}` : sql;
  let statement = prepared.get(key);
  if (!statement) {
    const text = toPositional(sql, params);
    if (prepared.size >= MAX_PREPARED) return { text };
    statement = { name: `opsdeck_${prepared.size + 1}`, text };
    prepared.set(key, statement);
  }
  return statement;
}

/**
 * A statement (`?` placeholders, no `?` elsewhere in the text) as a named prepared statement on a
 * pooled connection: PostgreSQL parses and plans it once per connection instead of on every
 * call, and the values travel bound — the ORM's `execute` would escape every value into the SQL
 * text, which for one large JSON document (a sweep batch of thousands of rows) costs more than
 * the statement itself. Inside a transaction it runs on the transaction's connection through the
 * ORM instead. Name the result columns (no `select *` / `returning *`): PostgreSQL refuses to run a
 * prepared statement whose result type a migration changed ("cached plan must not change result
 * type"), which would break every running instance until its connections are replaced.
 */
export async function preparedRows<T>(em: EntityManager, sql: string, params: readonly PreparedParam[] = []): Promise<T[]> {
  const transaction = em.getTransactionContext();
  if (transaction) return em.getConnection().execute<T[]>(sql, params as never[], 'all', transaction);
  const client = (em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
  const connection = await client.acquireConnection();
  try {
    const values = params.flatMap((p) => (Array.isArray(p) ? p : [p]));
    const result = await connection.query({ ...statementFor(sql, params), values });
    return result.rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
