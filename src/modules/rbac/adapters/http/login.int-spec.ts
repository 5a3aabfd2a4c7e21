import { Body, Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import type { Express } from 'express';
import request from 'supertest';
import { PrivateRedis, startPrivateRedis } from '../../../../../test/support/private-redis';
import { startTestApp, TestApp, waitFor } from '../../../../../test/support/test-app';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { SessionAuthGuard } from '../../../../shared/adapters/auth/session-auth.guard';
import { sha256Hex } from '../../core/secrets';
import { IdentityAdminService } from '../../core/identity-admin.service';
import { PASSWORD_HASHER, PasswordHasher } from '../../core/ports/password-hasher.port';

// Test users hash with the lowest bcrypt cost (honoured only under NODE_ENV=test).
process.env.BCRYPT_COST = '4';

/** Routes another module would write: a session-protected page and a state-changing form. */
@Controller('test-auth')
class ProtectedTestController {
  @Get('me')
  @UseGuards(SessionAuthGuard)
  me(@CurrentPrincipal() principal: Principal): Record<string, unknown> {
    return { userId: principal.userId, email: principal.email, displayName: principal.displayName };
  }

  @Post('echo')
  @UseGuards(SessionAuthGuard)
  echo(@Body() body: Record<string, unknown>): Record<string, unknown> {
    return { received: body };
  }
}

@Module({ controllers: [ProtectedTestController] })
class ProtectedTestModule {}

const PASSWORD = 'correct horse battery';
const INVALID = 'Invalid email or password.';
const THROTTLED = 'Too many sign-in attempts. Try again in a few minutes.';

interface LoginForm {
  csrf: string;
  /** The `opsdeck_login_csrf=…` cookie pair to send back. */
  cookie: string;
}

function setCookies(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  return Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
}

function cookieHeader(res: request.Response, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

/** `name=value` of a Set-Cookie header, ready to send back. */
function pair(setCookie: string | undefined): string {
  if (!setCookie) throw new Error('expected a Set-Cookie header');
  return setCookie.split(';')[0];
}

const hidden = (html: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1];

async function createUser(t: TestApp, email: string, name = 'Test User'): Promise<string> {
  const user = await t.get<IdentityAdminService>(IdentityAdminService).createUser({ email, password: PASSWORD, displayName: name });
  return user.id;
}

function helpers(getApp: () => TestApp) {
  const http = () => request(getApp().app.getHttpServer());
  const loginForm = async (): Promise<LoginForm> => {
    const res = await http().get('/login').expect(200);
    const csrf = hidden(res.text, '_csrf');
    if (!csrf) throw new Error('no _csrf field on the login page');
    return { csrf, cookie: pair(cookieHeader(res, 'opsdeck_login_csrf')) };
  };
  const postLogin = async (fields: Record<string, string>, form?: LoginForm, extraCookies: string[] = []) => {
    const f = form ?? (await loginForm());
    return http()
      .post('/login')
      .type('form')
      .set('Cookie', [f.cookie, ...extraCookies].join('; '))
      .send({ _csrf: f.csrf, ...fields });
  };
  /** Signs in and returns the session cookie pair. */
  const signIn = async (email: string, password = PASSWORD, extraCookies: string[] = []): Promise<string> => {
    const res = await postLogin({ email, password }, undefined, extraCookies);
    expect(res.status).toBe(303);
    return pair(cookieHeader(res, 'opsdeck_session'));
  };
  return { http, loginForm, postLogin, signIn };
}

describe('sign-in, sessions and CSRF (real PostgreSQL, over HTTP)', () => {
  let t: TestApp;
  const { http, loginForm, postLogin, signIn } = helpers(() => t);

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], imports: [ProtectedTestModule] });
    await createUser(t, 'Alice@Example.test', 'Alice Admin');
    await createUser(t, 'bob@example.test', 'Bob <script>');
  });
  afterAll(() => t?.close());

  describe('the login page', () => {
    it('renders labelled fields and a hidden CSRF token matching an HttpOnly double-submit cookie', async () => {
      const res = await http().get('/login?next=/workspaces/contoso-msp').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('<label for="email">Email</label>');
      expect(res.text).toContain('<label for="password">Password</label>');
      expect(hidden(res.text, 'next')).toBe('/workspaces/contoso-msp');
      const csrf = hidden(res.text, '_csrf');
      expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const cookie = cookieHeader(res, 'opsdeck_login_csrf')!;
      expect(pair(cookie)).toBe(`opsdeck_login_csrf=${csrf}`);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\/login/);
    });

    it('refuses a sign-in without the CSRF field, with a wrong one, or without the cookie (403)', async () => {
      const form = await loginForm();
      const noField = await http().post('/login').type('form').set('Cookie', form.cookie).send({ email: 'alice@example.test', password: PASSWORD });
      const wrong = await postLogin({ email: 'alice@example.test', password: PASSWORD }, { ...form, csrf: 'x'.repeat(43) });
      const noCookie = await http().post('/login').type('form').send({ _csrf: form.csrf, email: 'alice@example.test', password: PASSWORD });
      for (const res of [noField, wrong, noCookie]) {
        expect(res.status).toBe(403);
        expect(res.text).toContain('The sign-in form expired or was not sent by Opsdeck. Please try again.');
        expect(cookieHeader(res, 'opsdeck_session')).toBeUndefined();
        // A fresh token, so the re-rendered form works.
        expect(pair(cookieHeader(res, 'opsdeck_login_csrf'))).toBe(`opsdeck_login_csrf=${hidden(res.text, '_csrf')}`);
      }
      // Refused before the throttle counts or a password is checked: nothing was audited as a failure.
      expect(await t.db.query(`select 1 from audit_events where action = 'auth.login_failed'`)).toHaveLength(0);
    });

    it('answers a wrong password and an unknown email identically: 401 "Invalid email or password."', async () => {
      const form = await loginForm();
      const wrongPassword = await postLogin({ email: 'bob@example.test', password: 'not the password' }, form);
      const unknownEmail = await postLogin({ email: 'nobody@example.test', password: 'not the password' }, form);
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.text).toContain(INVALID);
      expect(wrongPassword.text.replace('bob@example.test', 'EMAIL')).toBe(unknownEmail.text.replace('nobody@example.test', 'EMAIL'));
      expect(cookieHeader(wrongPassword, 'opsdeck_session')).toBeUndefined();
      // What the user typed comes back escaped.
      const hostile = await postLogin({ email: '"><script>alert(1)</script>', password: 'not the password' }, form);
      expect(hostile.status).toBe(401);
      expect(hostile.text).not.toContain('<script>alert(1)');
      expect(hostile.text).toContain('&quot;&gt;&lt;script&gt;');
      const audited = await t.db.query<{ action: string; actor_user_id: string | null; metadata: Record<string, unknown> }>(
        `select action, actor_user_id, metadata from audit_events where action = 'auth.login_failed' order by id`,
      );
      expect(audited.slice(0, 2)).toEqual([
        { action: 'auth.login_failed', actor_user_id: null, metadata: { email: 'bob@example.test', ip: expect.any(String), reason: 'wrong_password' } },
        { action: 'auth.login_failed', actor_user_id: null, metadata: { email: 'nobody@example.test', ip: expect.any(String), reason: 'unknown_email' } },
      ]);
    });
  });

  describe('a signed-in session', () => {
    let session: string;

    it('signs in (email in any case): 303 to "/", a rotating HttpOnly SameSite=Lax cookie, a stored hashed session', async () => {
      const res = await postLogin({ email: 'ALICE@example.test', password: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      const cookie = cookieHeader(res, 'opsdeck_session')!;
      expect(cookie).toMatch(/^opsdeck_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/);
      session = pair(cookie);
      const id = session.split('=')[1];
      const rows = await t.db.query<{ id_hash: string; expires_at: Date; csrf_token: string }>(
        'select id_hash, expires_at, csrf_token from sessions',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].id_hash).toBe(sha256Hex(id));
      const hours = (new Date(rows[0].expires_at).getTime() - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(11.9);
      expect(hours).toBeLessThanOrEqual(12);
      expect(rows[0].csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('lets the session cookie through a SessionAuthGuard route, with the principal', async () => {
      const res = await http().get('/test-auth/me').set('Cookie', session).expect(200);
      expect(res.body).toEqual({ userId: expect.any(String), email: 'Alice@Example.test', displayName: 'Alice Admin' });
    });

    it('sends browsers without a session to /login?next=… and answers API clients 401', async () => {
      const page = await http().get('/test-auth/me?tab=x').set('Accept', 'text/html').expect(303);
      expect(page.headers.location).toBe('/login?next=%2Ftest-auth%2Fme%3Ftab%3Dx');
      const api = await http().get('/test-auth/me').set('Accept', 'application/json').expect(401);
      expect(api.body.error.message).toBe('Sign in to continue.');
      const forged = await http().get('/test-auth/me').set('Cookie', 'opsdeck_session=' + 'A'.repeat(43)).set('Accept', 'application/json');
      expect(forged.status).toBe(401);
      expect(pair(cookieHeader(forged, 'opsdeck_session'))).toBe('opsdeck_session=');
      // The session middleware covers every route, the root page included (which then asks to sign in).
      const home = await http().get('/').set('Cookie', 'opsdeck_session=' + 'A'.repeat(43)).set('Accept', 'text/html').expect(303);
      expect(home.headers.location).toBe('/login?next=%2F');
      expect(pair(cookieHeader(home, 'opsdeck_session'))).toBe('opsdeck_session=');
    });

    it('requires the session CSRF token on any state-changing request, then strips it from the body', async () => {
      const [{ csrf_token: csrf }] = await t.db.query<{ csrf_token: string }>('select csrf_token from sessions');
      const missing = await http().post('/test-auth/echo').type('form').set('Cookie', session).send({ note: 'hi' });
      expect(missing.status).toBe(403);
      // A browser's form post gets the error as a page; a client asking for JSON gets JSON.
      expect(missing.type).toBe('text/html');
      expect(missing.text).toMatch(/security token is missing or out of date/);
      const asJson = await http().post('/test-auth/echo').type('form').set('Accept', 'application/json').set('Cookie', session).send({ note: 'hi' });
      expect(asJson.status).toBe(403);
      expect(asJson.body.error.message).toMatch(/security token is missing or out of date/);
      const wrong = await http().post('/test-auth/echo').type('form').set('Cookie', session).send({ note: 'hi', _csrf: 'nope' });
      expect(wrong.status).toBe(403);
      const field = await http().post('/test-auth/echo').type('form').set('Cookie', session).send({ note: 'hi', _csrf: csrf });
      expect(field.status).toBe(201);
      expect(field.body).toEqual({ received: { note: 'hi' } });
      const header = await http().post('/test-auth/echo').set('Cookie', session).set('X-CSRF-Token', csrf).send({ note: 'json' });
      expect(header.status).toBe(201);
    });

    it('exempts API-token requests: with Authorization: Bearer no cookie session is loaded', async () => {
      const res = await http()
        .post('/test-auth/echo')
        .set('Cookie', session)
        .set('Authorization', 'Bearer odk_whatever')
        .set('Accept', 'application/json')
        .send({ note: 'x' });
      // Not a CSRF refusal: the session was not used at all, so the session guard answers 401.
      expect(res.status).toBe(401);
    });

    it('rotates the session on a new sign-in: the previous session row is deleted', async () => {
      const again = await signIn('alice@example.test', PASSWORD, [session]);
      expect(again).not.toBe(session);
      await http().get('/test-auth/me').set('Cookie', session).set('Accept', 'application/json').expect(401);
      await http().get('/test-auth/me').set('Cookie', again).expect(200);
      const rows = await t.db.query<{ id_hash: string }>('select id_hash from sessions');
      expect(rows).toEqual([{ id_hash: sha256Hex(again.split('=')[1]) }]);
      session = again;
    });

    it('logs out only with the CSRF token: the session row is deleted and the cookie cleared', async () => {
      const refused = await http().post('/logout').set('Cookie', session).type('form').send({});
      expect(refused.status).toBe(403);
      expect(await t.db.query('select 1 from sessions')).toHaveLength(1);

      const [{ csrf_token: csrf }] = await t.db.query<{ csrf_token: string }>('select csrf_token from sessions');
      const res = await http().post('/logout').set('Cookie', session).type('form').send({ _csrf: csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
      expect(cookieHeader(res, 'opsdeck_session')).toMatch(/^opsdeck_session=;.*Expires=Thu, 01 Jan 1970/);
      expect(await t.db.query('select 1 from sessions')).toHaveLength(0);
      await http().get('/test-auth/me').set('Cookie', session).set('Accept', 'application/json').expect(401);
    });

    it('marks the cookie Secure when the request came over TLS (X-Forwarded-Proto behind a trusted proxy)', async () => {
      const express = t.app.getHttpAdapter().getInstance() as Express;
      express.set('trust proxy', 'loopback');
      try {
        const form = await loginForm();
        const res = await http()
          .post('/login')
          .type('form')
          .set('X-Forwarded-Proto', 'https')
          .set('Cookie', form.cookie)
          .send({ _csrf: form.csrf, email: 'alice@example.test', password: PASSWORD });
        expect(res.status).toBe(303);
        expect(cookieHeader(res, 'opsdeck_session')).toMatch(/; Secure/);
      } finally {
        express.set('trust proxy', false);
      }
    });
  });

  describe('redirect after sign-in', () => {
    it.each([
      ['//evil.com', '/'],
      ['https://evil.com', '/'],
      ['/\\evil.com', '/'],
      ['javascript:alert(1)', '/'],
      ['/workspaces/contoso-msp/operations?tab=active', '/workspaces/contoso-msp/operations?tab=active'],
    ])('next=%s goes to %s', async (next, expected) => {
      const res = await postLogin({ email: 'alice@example.test', password: PASSWORD, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(expected);
    });

    it('never puts an off-site next into the form', async () => {
      const res = await http().get('/login?next=//evil.com').expect(200);
      expect(hidden(res.text, 'next')).toBe('/');
    });
  });

  describe('throttling: counted atomically in Redis before any password check, shared by every instance', () => {
    const express = () => t.app.getHttpAdapter().getInstance() as Express;
    let verified: jest.SpyInstance;
    let form: LoginForm;
    // Sources are told apart by X-Forwarded-For, as behind the production proxy.
    /** Listening once: thirty requests at a time each opening their own ephemeral server would reset connections. */
    const listen = (app: TestApp) =>
      new Promise<void>((resolve) => {
        const server = app.app.getHttpServer();
        if (server.address()) resolve();
        else server.listen(0, '127.0.0.1', () => resolve());
      });
    beforeAll(async () => {
      await listen(t);
      express().set('trust proxy', 'loopback');
      verified = jest.spyOn(t.get<PasswordHasher>(PASSWORD_HASHER), 'verify');
      form = await loginForm();
    });
    afterAll(() => {
      express().set('trust proxy', false);
      verified.mockRestore();
    });
    const attempt = (source: string, email: string, password: string, app: TestApp = t) =>
      request(app.app.getHttpServer())
        .post('/login')
        .type('form')
        .set('X-Forwarded-For', source)
        .set('Cookie', form.cookie)
        .send({ _csrf: form.csrf, email, password });

    it('thirty simultaneous wrong passwords for one account run at most five password checks; the right one after them is refused', async () => {
      await createUser(t, 'erin@example.test');
      verified.mockClear();
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt('203.0.113.7', 'erin@example.test', `wrong-${i}-password`)));
      expect(verified).toHaveBeenCalledTimes(5);
      expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(25);

      const right = await attempt('203.0.113.7', 'Erin@example.test', PASSWORD);
      expect(right.status).toBe(429);
      expect(right.text).toContain(THROTTLED);
      expect(cookieHeader(right, 'opsdeck_session')).toBeUndefined();
      expect(verified).toHaveBeenCalledTimes(5);
    });

    it('lets no stranger lock the owner out: failures from one source leave the account open from others', async () => {
      // erin's source above is refused; erin herself, elsewhere, is not.
      const res = await attempt('198.51.100.2', 'erin@example.test', PASSWORD);
      expect(res.status).toBe(303);
      // Nor are other accounts from the refused source.
      expect((await attempt('203.0.113.7', 'alice@example.test', PASSWORD)).status).toBe(303);
    });

    it('forgets a source\'s failures on an account once the owner signs in from it', async () => {
      await createUser(t, 'frank@example.test');
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 4; i++) expect((await attempt('203.0.113.9', 'frank@example.test', `wrong-${i}`)).status).toBe(401);
        expect((await attempt('203.0.113.9', 'frank@example.test', PASSWORD)).status).toBe(303);
      }
    });

    it('throttles an unknown email the same way, revealing nothing', async () => {
      for (let i = 0; i < 5; i++) expect((await attempt('203.0.113.10', 'ghost@example.test', 'whatever-password')).status).toBe(401);
      const sixth = await attempt('203.0.113.10', 'ghost@example.test', 'whatever-password');
      expect(sixth.status).toBe(429);
      expect(sixth.text).toContain(THROTTLED);
    });

    it('refuses a source after fifty attempts across accounts (password spraying), whatever the account', async () => {
      verified.mockClear();
      for (let account = 0; account < 10; account++) {
        const answers = await Promise.all(
          Array.from({ length: 5 }, () => attempt('192.0.2.50', `spray${account}@example.test`, 'Summer2026!')),
        );
        expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
      }
      expect(verified).toHaveBeenCalledTimes(50);
      const next = await attempt('192.0.2.50', 'alice@example.test', PASSWORD);
      expect(next.status).toBe(429);
      expect(verified).toHaveBeenCalledTimes(50);
      expect((await attempt('192.0.2.51', 'alice@example.test', PASSWORD)).status).toBe(303);
    });

    it('refuses an account from every source once thirty attempts from many sources were checked (the per-account ceiling)', async () => {
      await createUser(t, 'gina@example.test');
      for (let source = 0; source < 6; source++) {
        for (let i = 0; i < 5; i++) expect((await attempt(`10.20.0.${source}`, 'gina@example.test', `wrong-${i}`)).status).toBe(401);
      }
      const fresh = await attempt('10.20.0.99', 'gina@example.test', PASSWORD);
      expect(fresh.status).toBe(429);
      expect(fresh.text).toContain(THROTTLED);
    });

    it('counts in one place for every app instance: two instances over one Redis still run five checks', async () => {
      await createUser(t, 'hugo@example.test');
      const second = await startTestApp({ roles: ['web'], imports: [ProtectedTestModule], database: t.db, queuePrefix: t.config.queuePrefix });
      try {
        await listen(second);
        (second.app.getHttpAdapter().getInstance() as Express).set('trust proxy', 'loopback');
        const verifiedThere = jest.spyOn(second.get<PasswordHasher>(PASSWORD_HASHER), 'verify');
        verified.mockClear();
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => attempt('203.0.113.20', 'hugo@example.test', `wrong-${i}`, i % 2 ? second : t)),
        );
        expect(verified.mock.calls.length + verifiedThere.mock.calls.length).toBe(5);
        expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
        expect((await attempt('203.0.113.20', 'hugo@example.test', PASSWORD, second)).status).toBe(429);
      } finally {
        await second.close({ keepDatabase: true });
      }
    });

    it('audits each refusal with the limit that refused it', async () => {
      const reasons = await t.db.query<{ reason: string }>(
        `select distinct metadata->>'reason' as reason from audit_events where action = 'auth.login_failed' order by 1`,
      );
      expect(reasons.map((r) => r.reason)).toEqual(
        expect.arrayContaining(['throttled_account', 'throttled_account_source', 'throttled_source', 'unknown_email', 'wrong_password']),
      );
    });
  });
});

describe('sessions survive an app restart', () => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;

  afterAll(async () => {
    await second?.close();
    await first?.db.drop();
  });

  it('a cookie issued by one app instance still works on the next one over the same database', async () => {
    first = await startTestApp({ roles: ['web'], imports: [ProtectedTestModule] });
    await createUser(first, 'dana@example.test', 'Dana');
    const session = await helpers(() => first!).signIn('dana@example.test');
    await first.close({ keepDatabase: true });

    second = await startTestApp({ roles: ['web'], imports: [ProtectedTestModule], database: first.db });
    const res = await request(second.app.getHttpServer()).get('/test-auth/me').set('Cookie', session).expect(200);
    expect(res.body.email).toBe('dana@example.test');
  });
});

describe('sign-in when the throttle cannot count (a private Redis, stopped)', () => {
  let redis: PrivateRedis | undefined;
  let app: TestApp | undefined;

  afterAll(async () => {
    // Back up first, so the app closes without waiting on reconnects.
    if (redis && !redis.running) await redis.start();
    await app?.close();
    await redis?.dispose();
  });

  it('answers 503 and checks no password while Redis is down, and signs in again once it is back', async () => {
    redis = await startPrivateRedis();
    app = await startTestApp({ roles: ['web'], env: { REDIS_URL: redis.url } });
    await createUser(app, 'ida@example.test');
    const { postLogin } = helpers(() => app!);
    const verified = jest.spyOn(app.get<PasswordHasher>(PASSWORD_HASHER), 'verify');

    await redis.stop();
    const down = await postLogin({ email: 'ida@example.test', password: PASSWORD });
    expect(down.status).toBe(503);
    expect(down.text).toContain('Sign-in is unavailable right now. Try again in a minute.');
    expect(cookieHeader(down, 'opsdeck_session')).toBeUndefined();
    expect(verified).not.toHaveBeenCalled();

    await redis.start();
    const back = await waitFor(
      () => postLogin({ email: 'ida@example.test', password: PASSWORD }),
      (res) => res.status !== 503,
      { what: 'sign-in after Redis is back' },
    );
    expect(back.status).toBe(303);
  });
});
