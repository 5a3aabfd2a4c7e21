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
