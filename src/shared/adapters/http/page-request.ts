import type { Request } from 'express';

const MACHINE_PREFIXES = ['/api/', '/health', '/metrics', '/assets/'];

/**
 * A request from a person in a browser: it wants HTML (or posts a form) and is not aimed at a
 * machine endpoint. Errors for these are rendered as pages; everything else gets JSON.
 */
export function isPageRequest(req: Request): boolean {
  const path = req.path ?? req.url ?? '';
  if (MACHINE_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  if (req.is?.('application/x-www-form-urlencoded')) return req.accepts?.(['html', 'json']) !== 'json';
  return req.accepts?.(['json', 'html']) === 'html';
}
