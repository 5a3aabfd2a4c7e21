import request from 'supertest';
import { TestApp } from './test-app';

/** Set-Cookie headers of a response as a list. */
export function setCookies(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  return Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
}

/** `name=value` of the named Set-Cookie header, ready to send back. */
export function cookiePair(res: request.Response, name: string): string {
  const header = setCookies(res).find((c) => c.startsWith(`${name}=`));
  if (!header) throw new Error(`expected a Set-Cookie header for ${name}`);
  return header.split(';')[0];
}

export const hiddenField = (html: string, name: string) =>
  new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1];

/** Signs in through the real login form (CSRF included) and returns the session cookie pair. */
export async function signInAs(t: TestApp, email: string, password: string): Promise<string> {
  const http = () => request(t.app.getHttpServer());
  const form = await http().get('/login').expect(200);
  const csrf = hiddenField(form.text, '_csrf');
  if (!csrf) throw new Error('no _csrf field on the login page');
  const res = await http()
    .post('/login')
    .type('form')
    .set('Cookie', cookiePair(form, 'opsdeck_login_csrf'))
    .send({ _csrf: csrf, email, password });
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
  return cookiePair(res, 'opsdeck_session');
}
