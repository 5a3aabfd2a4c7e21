import { EntityManager } from '@mikro-orm/postgresql';
import { TestApp } from '../support/test-app';

/**
 * Records the exact SQL text MikroORM sends (params inlined by the platform, as execute() does)
 * for statements matching `accept`, until `stop()`.
 */
export function captureSql(app: TestApp, accept: (sql: string) => boolean): { stop(): string[] } {
  const connection = app.get<EntityManager>(EntityManager).getConnection();
  const platform = connection.getPlatform();
  const record = connection as unknown as Record<string, unknown>;
  const original = record.execute as (...args: unknown[]) => unknown;
  const own = Object.prototype.hasOwnProperty.call(connection, 'execute');
  const captured: string[] = [];
  record.execute = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string' && accept(args[0])) captured.push(platform.formatQuery(args[0], (args[1] as unknown[]) ?? []));
    return original.apply(this, args);
  };
  return {
    stop: () => {
      if (own) record.execute = original;
      else delete record.execute;
      return captured;
    },
  };
}
