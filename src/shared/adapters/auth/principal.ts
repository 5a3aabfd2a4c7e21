import type { Request } from 'express';

/**
 * The signed-in user of a request. Page routes get it from the session cookie (the session
 * middleware of the rbac module); `sessionCsrf` is that session's CSRF token, null when the
 * request was authenticated another way (e.g. an API token), which needs no CSRF check.
 */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  sessionCsrf: string | null;
}

export type PrincipalRequest = Request & { principal?: Principal | null };

export function principalOf(req: Request): Principal | null {
  return (req as PrincipalRequest).principal ?? null;
}

/** Requests that carry an API token (`Authorization: Bearer …`): no cookies, no session, no CSRF. */
export function hasBearerToken(req: Request): boolean {
  return /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
}
