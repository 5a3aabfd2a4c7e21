import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

const storage = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/**
 * One memo per HTTP request: a page asks "which workspace is this slug, what may this user see"
 * from the shell, the controller and the use case alike; each distinct question reaches
 * PostgreSQL once per request. Nothing outlives the request, so a revoked membership takes
 * effect on the very next one. Outside a request (workers, CLI) nothing is memoized.
 */
export function requestMemoMiddleware(_req: Request, _res: Response, next: NextFunction): void {
  storage.run(new Map(), next);
}

export function memoizedPerRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const memo = storage.getStore();
  if (!memo) return load();
  const known = memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const pending = load();
  memo.set(key, pending);
  // A failed lookup is not remembered: the next caller asks again.
  pending.catch(() => memo.delete(key));
  return pending;
}

/** Records a value already in hand (e.g. a row read by slug) under another key of this request. */
export function rememberPerRequest<T>(key: string, value: T): void {
  const memo = storage.getStore();
  if (memo && !memo.has(key)) memo.set(key, Promise.resolve(value));
}

/** The value this request already holds under `key`, if any. */
export function recallPerRequest<T>(key: string): Promise<T> | undefined {
  return storage.getStore()?.get(key) as Promise<T> | undefined;
}

/**
 * Rows by id where ids already seen in this request are not asked for again: `load` gets only the
 * missing ids, its rows are remembered under `prefix + id`, and the answer keeps the input order.
 */
export async function memoizedRowsById<T extends { id: string }>(
  prefix: string,
  ids: string[],
  load: (missing: string[]) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const known: (T | null | undefined)[] = await Promise.all(
    unique.map((id) => recallPerRequest<T | null>(prefix + id) ?? Promise.resolve(undefined)),
  );
  const missing = unique.filter((_, i) => known[i] === undefined);
  if (missing.length) {
    const rows = await load(missing);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of missing) rememberPerRequest(prefix + id, byId.get(id) ?? null);
    missing.forEach((id) => (known[unique.indexOf(id)] = byId.get(id) ?? null));
  }
  return known.filter((row): row is T => !!row);
}
