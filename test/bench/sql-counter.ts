// Counts SQL statements at the pg driver: every statement of MikroORM (knex), of a repository that
// sends named prepared statements through the pg client itself, and of the naive contender's pool
// ends in pg's Client.prototype.query, so all contenders are counted the same way whatever path
// the app takes above the driver.
import { Client } from 'pg';
import { describeSql } from './harness';

export interface DriverSqlCounter {
  /** Starts a fresh count (statements sent before are not counted). */
  start(): void;
  /** Ends the count; returns statements by kind ("update operation_runs", "begin ?", …). */
  stop(): Record<string, number>;
}

type QueryArg = { text?: unknown; name?: unknown } | string | undefined;

/**
 * The kind of a query() call: its argument is a string, or a config / Submittable object with
 * `text` (and, for a named prepared statement, `name`). A named statement sent again without its
 * text is classified by the text it was first sent with (remembered outside counting too).
 */
function classify(arg: QueryArg, textByName: Map<string, string>): string {
  if (typeof arg === 'string') return describeSql(arg);
  if (typeof arg?.text === 'string') return describeSql(arg.text);
  return describeSql(typeof arg?.name === 'string' ? textByName.get(arg.name) : undefined);
}

function remember(arg: QueryArg, textByName: Map<string, string>): void {
  if (typeof arg === 'object' && typeof arg?.name === 'string' && typeof arg.text === 'string') textByName.set(arg.name, arg.text);
}

/**
 * Wraps Client.prototype.query for the life of this process (a bench child hosts one contender,
 * so nothing else is there to disturb). Calls on clients `ignored` (the bench's own polling
 * client) are never counted; outside start()…stop() nothing is.
 */
export function installDriverSqlCounter(ignored: (client: unknown) => boolean): DriverSqlCounter {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let counts: Record<string, number> | null = null;
  const textByName = new Map<string, string>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const arg = args[0] as QueryArg;
    remember(arg, textByName);
    if (counts && !ignored(this)) {
      const kind = classify(arg, textByName);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return original.apply(this, args);
  };
  return {
    start: () => {
      counts = {};
    },
    stop: () => {
      const result = counts ?? {};
      counts = null;
      return result;
    },
  };
}
