import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Principal } from './principal';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FAILED_MESSAGE =
  'This form could not be verified: its security token is missing or out of date. Reload the page and try again.';

const TAKEN = Symbol('submittedCsrfToken');
type CsrfRequest = Request & { [TAKEN]?: string | null };

/**
 * The CSRF token sent with a request (form field `_csrf`, else header `X-CSRF-Token`). The field
 * is removed from the body on first read so DTOs validated with `forbidNonWhitelisted` never see
 * it; later calls return the same value.
 */
export function takeSubmittedCsrfToken(req: Request): string | null {
  const request = req as CsrfRequest;
  if (TAKEN in request) return request[TAKEN] ?? null;
  const body = req.body as Record<string, unknown> | undefined;
  let token: string | null = null;
  if (body && typeof body === 'object' && CSRF_FIELD in body) {
    const field = body[CSRF_FIELD];
    if (typeof field === 'string') token = field;
    delete body[CSRF_FIELD];
  }
  if (token === null) {
    const header = req.headers[CSRF_HEADER];
    if (typeof header === 'string') token = header;
  }
  request[TAKEN] = token;
  return token;
}

/**
 * Adds the session's CSRF token to a view model as `csrfToken`; forms include it with
 * `{{> csrf-field}}`.
 */
export function withCsrf<T extends object>(model: T, principal: Principal | null): T & { csrfToken: string | null } {
  return { ...model, csrfToken: principal?.sessionCsrf ?? null };
}

/** Constant-time comparison; hashing first makes the inputs equal-length, so length leaks nothing. */
export function csrfTokensMatch(submitted: string | null | undefined, expected: string | null | undefined): boolean {
  if (!submitted || !expected || typeof submitted !== 'string' || typeof expected !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(submitted), digest(expected));
}
