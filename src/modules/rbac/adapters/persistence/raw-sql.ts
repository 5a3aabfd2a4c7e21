import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';

/** One parameterized statement (`?` placeholders), joining the caller's transaction when there is one. */
export function runSql<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return preparedRows<T>(em, sql, params as PreparedParam[]);
}
