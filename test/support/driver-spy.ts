import { Client } from 'pg';

/**
 * Watches every statement sent at the pg driver (the ORM's and the prepared ones alike) until the
 * returned function is called: `observe` gets the statement's text (or prepared name) and the
 * driver's result, a promise for the callers that await one.
 */
export function spyOnDriver(observe: (text: string, result: unknown) => void): () => void {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const arg = args[0] as string | { text?: string; name?: string };
    const text = typeof arg === 'string' ? arg : (arg?.text ?? arg?.name ?? '?');
    const result = query.apply(this, args);
    observe(text, result);
    return result;
  };
  return () => {
    proto.query = query;
  };
}
