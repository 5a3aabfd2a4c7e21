import { Client } from 'pg';

/** One statement as the app sent it to the driver: its text, its bound values and, when prepared, its name. */
export interface CapturedStatement {
  name?: string;
  text: string;
  values: unknown[];
}

/**
 * Records the statements the app sends at the pg driver (prepared ones with their name and
 * values, ORM ones as the text it inlined) whose text matches `accept`, until `stop()`. The bare
 * baseline replays them the same way, so a prepared statement is prepared there too.
 */
export function captureSql(accept: (sql: string) => boolean): { stop(): CapturedStatement[] } {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const captured: CapturedStatement[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const arg = args[0] as string | { name?: string; text?: string; values?: unknown[] };
    const text = typeof arg === 'string' ? arg : arg?.text;
    if (typeof text === 'string' && accept(text)) {
      const values = typeof arg === 'string' ? ((args[1] as unknown[]) ?? []) : (arg.values ?? []);
      captured.push({ name: typeof arg === 'string' ? undefined : arg.name, text, values: [...values] });
    }
    return original.apply(this, args);
  };
  return {
    stop: () => {
      proto.query = original;
      return captured;
    },
  };
}
