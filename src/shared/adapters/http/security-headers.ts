import type { NextFunction, Request, Response } from 'express';

/** Pages load only the app's own CSS and JS; the OpenAPI UI (inline bootstrap script) is the one exception. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carries: no MIME sniffing (JSON errors may quote input), no framing, no referrer leaks. */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  if (!req.path.startsWith('/api/docs')) res.setHeader('Content-Security-Policy', PAGE_CSP);
  // API answers are per-user tenant data, like pages: no cache may keep them (the OpenAPI document may).
  if (req.path.startsWith('/api/v1/') || req.path === '/api/v1') res.setHeader('Cache-Control', 'no-store');
  next();
}
