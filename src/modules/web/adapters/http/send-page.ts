import type { Response } from 'express';

/** Pages show per-user truth: never cached by the browser or a proxy. */
export function sendPage(res: Response, html: string, status = 200): void {
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.type('html').send(html);
}

/** A polling fragment, with the header app.js reads to decide whether to keep polling. */
export function sendFragment(res: Response, html: string, stillActive: boolean): void {
  res.status(200).setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Poll-Active', stillActive ? 'true' : 'false');
  res.type('html').send(html);
}
