import { Client } from 'pg';

/**
 * Watches every statement sent at the pg driver (the ORM's and the prepared ones alike) until the
 * returned function is called: `observe` gets the statement's text (or prepared name) and the
 * driver's result as a promise. Knex hands pg a callback instead of awaiting the returned promise
 * (`knex.raw` does), so a callback's answer is turned into a promise too — otherwise the spy
 * would see those statements but never their rows.
 */
export function spyOnDriver(observe: (text: string, result: unknown) => void): () => void {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const arg = args[0] as string | { text?: string; name?: string; callback?: unknown };
    const text = typeof arg === 'string' ? arg : (arg?.text ?? arg?.name ?? '?');
    const last = args.length - 1;
    const callback = typeof args[last] === 'function' ? (args[last] as (err: unknown, res: unknown) => void) : undefined;
    if (callback) {
      const answer = new Promise((resolve, reject) => {
        args[last] = (err: unknown, res: unknown) => {
          if (err) reject(err);
          else resolve(res);
          callback(err, res);
        };
      });
      answer.catch(() => undefined);
      const result = query.apply(this, args);
      observe(text, answer);
      return result;
    }
    const result = query.apply(this, args);
    observe(text, result);
    return result;
  };
  return () => {
    proto.query = query;
  };
}
