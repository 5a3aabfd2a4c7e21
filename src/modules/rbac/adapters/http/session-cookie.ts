import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'opsdeck_session';
/** Double-submit token of the sign-in form (there is no session yet to hold one). */
export const LOGIN_CSRF_COOKIE = 'opsdeck_login_csrf';
const LOGIN_CSRF_PATH = '/login';
const LOGIN_CSRF_MAX_AGE_MS = 2 * 60 * 60 * 1000;

/**
 * Secure whenever the request reached us over TLS: `req.secure` is true for https, and for
 * `X-Forwarded-Proto: https` when Express's `trust proxy` is set for the proxy in front.
 */
function baseOptions(req: Request, path: string): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path, secure: req.secure };
}

/** A browser-session cookie: the server decides expiry (12 h idle), the browser drops it on close. */
export function setSessionCookie(req: Request, res: Response, sessionId: string): void {
  res.cookie(SESSION_COOKIE, sessionId, baseOptions(req, '/'));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, baseOptions(req, '/'));
}

/**
 * `path` is the pre-login form's own path (`/login`, `/invite`, `/setup`): a browser sends the
 * cookie back only to URLs under it, so each form scopes it to itself.
 */
export function setLoginCsrfCookie(req: Request, res: Response, token: string, path: string = LOGIN_CSRF_PATH): void {
  res.cookie(LOGIN_CSRF_COOKIE, token, { ...baseOptions(req, path), maxAge: LOGIN_CSRF_MAX_AGE_MS });
}

export function clearLoginCsrfCookie(req: Request, res: Response, path: string = LOGIN_CSRF_PATH): void {
  res.clearCookie(LOGIN_CSRF_COOKIE, baseOptions(req, path));
}

export function cookieOf(req: Request, name: string): string | null {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value ? value : null;
}
