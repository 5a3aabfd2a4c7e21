import { EntityManager } from '@mikro-orm/postgresql';

/** One parameterized statement (`?` placeholders), joining the caller's transaction when there is one. */
export function runSql<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}
