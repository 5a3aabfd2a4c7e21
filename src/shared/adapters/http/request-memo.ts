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
