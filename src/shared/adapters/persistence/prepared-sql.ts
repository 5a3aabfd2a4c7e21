import { EntityManager } from '@mikro-orm/postgresql';

/** A scalar parameter (a list is a `PreparedParam`). */
export type BoundParam = string | number | boolean | Date | null;

/** A `?` parameter: a scalar, or a non-empty list that expands into `(?, ?, …)` as the ORM's would. */
export type PreparedParam = BoundParam | readonly BoundParam[];

/** Distinct statement shapes get a name; past this many (a caller building unbounded SQL) they run unnamed. */
const MAX_PREPARED = 256;
/** Per statement shape: its name (if it got one) and its SQL with every list expanded to `?, ?, …`. */
const prepared = new Map<string, { name?: string; sql: string }>();

/**
 * Whether statements run as named prepared statements (the default). A named statement lives on
 * one server connection; a transaction-mode pooler (PgBouncer < 1.21) hands that connection to
 * another client between transactions, so there it must be off: statements still travel with
 * bound values, unnamed (parsed on every call). The one seam for the pooler setting (issue 18).
 */
let namedStatements = true;

export function setPreparedStatementNames(enabled: boolean): void {
  namedStatements = enabled;
}

export function preparedStatementNamesEnabled(): boolean {
  return namedStatements;
}

function expandLists(sql: string, params: readonly PreparedParam[]): string {
  if (!params.some(Array.isArray)) return sql;
  let i = 0;
  return sql.replace(/\?/g, () => {
    const param = params[i++];
    return Array.isArray(param) ? param.map(() => '?').join(', ') : '?';
  });
}

function statementFor(sql: string, params: readonly PreparedParam[]): { name?: string; sql: string } {
  // A list's length is part of the statement's shape.
  const lists = params.some(Array.isArray) ? params.map((p) => (Array.isArray(p) ? p.length : '')).join(',') : '';
  const key = lists ? `${sql}\u0000${lists}` : sql;
  let statement = prepared.get(key);
  if (!statement) {
    const expanded = expandLists(sql, params);
    if (prepared.size >= MAX_PREPARED) return { sql: expanded };
    statement = { name: `opsdeck_${prepared.size + 1}`, sql: expanded };
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
 *
 * Public APIs only: the ORM's Knex instance runs it (`knex.raw`, which turns `?` into `$n`), and
 * Knex's pg dialect merges a query's `options` into the pg query config, so `{ name }` is pg's
 * named-statement field.
 */
export async function preparedRows<T>(em: EntityManager, sql: string, params: readonly PreparedParam[] = []): Promise<T[]> {
  const transaction = em.getTransactionContext();
  if (transaction) return em.getConnection().execute<T[]>(sql, params as never[], 'all', transaction);
  const statement = statementFor(sql, params);
  const values = params.flatMap((p) => (Array.isArray(p) ? p : [p]));
  const query = em.getConnection().getKnex().raw(statement.sql, values);
  if (namedStatements && statement.name) query.options({ name: statement.name });
  const result = (await query) as unknown as { rows: T[] };
  return result.rows;
}
