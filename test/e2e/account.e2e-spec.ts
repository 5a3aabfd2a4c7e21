import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { ApiPersonas, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { hiddenField, signInAs } from '../support/browser-session';
import { validateHtml } from '../support/html-validity';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Your account (issue 19) over HTTP against real PostgreSQL and Redis: the password change (the
 * current password required, every other session of the user signed out, the current one kept),
 * personal API tokens from the API and the page (created with an optional expiry and shown once,
 * listed without the secret, revoked at once, expired → 401, another user's id → the same 404 as
 * an unknown one), CSRF on every form, and the audit trail without secrets.
 */
describe('your account: password and personal API tokens', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const http = () => request(t.app.getHttpServer());
  const email = (key: string) => DEMO_USERS.find((u) => u.key === key)!.email;
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
  });
  afterAll(() => t?.close());

  const page = (cookie: string, path = '/account') => http().get(path).set('Cookie', cookie).set('Accept', 'text/html');
  /** The account page's CSRF token for this session (every form on it carries the same one). */
  async function csrfOf(cookie: string): Promise<string> {
    const res = await page(cookie).expect(200);
    const token = hiddenField(res.text, '_csrf');
    if (!token) throw new Error('no _csrf field on /account');
    return token;
  }
  const post = (cookie: string, path: string, fields: Record<string, string>) =>
    http().post(path).set('Cookie', cookie).set('Accept', 'text/html').type('form').send(fields);

  describe('changing the password', () => {
    const ADA = { email: 'ada@opsdeck.test', password: 'ada-first-password', displayName: 'Ada Account' };
    let adaId: string;

    beforeAll(async () => {
      adaId = (await t.get<IdentityAdminService>(IdentityAdminService).createUser(ADA)).id;
    });

    const fieldError = (html: string, field: string) =>
      new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1] ?? null;

    it('needs the current password: a wrong one is refused beside its field and changes nothing', async () => {
      const here = await signInAs(t, ADA.email, ADA.password);
      const elsewhere = await signInAs(t, ADA.email, ADA.password);
      const csrf = await csrfOf(here);
      const res = await post(here, '/account/password', { _csrf: csrf, current_password: 'not-my-password', new_password: 'ada-second-password', confirm_password: 'ada-second-password' });
      expect(res.status).toBe(400);
      expect(res.type).toBe('text/html');
      expect(fieldError(res.text, 'current_password')).toBe('The current password is not correct.');
      expect(res.text).toContain('id="current_password" name="current_password" autocomplete="current-password" required\n        aria-invalid="true"');
      expect(res.text).not.toContain('ada-second-password');
      // Nothing changed: both sessions work, the old password still signs in.
      await page(elsewhere).expect(200);
      await signInAs(t, ADA.email, ADA.password);
      const [refused] = await t.db.query<{ metadata: Record<string, unknown>; actor_user_id: string }>(
        `select metadata, actor_user_id from audit_events where action = 'auth.password_change_refused' and subject_id = $1`,
        [adaId],
      );
      expect(refused).toEqual({ actor_user_id: adaId, metadata: { user_id: adaId, reason: 'wrong_current_password' } });
    });

    it('puts each other refusal beside its field: missing current, weak new password, confirmation that differs', async () => {
      const here = await signInAs(t, ADA.email, ADA.password);
      const csrf = await csrfOf(here);
      const missing = await post(here, '/account/password', { _csrf: csrf, new_password: 'ada-second-password', confirm_password: 'ada-second-password' });
      expect([missing.status, fieldError(missing.text, 'current_password')]).toEqual([400, 'Enter your current password.']);
      const weak = await post(here, '/account/password', { _csrf: csrf, current_password: ADA.password, new_password: 'short', confirm_password: 'short' });
      expect([weak.status, fieldError(weak.text, 'new_password')]).toEqual([400, 'Passwords must be at least 10 characters long.']);
      const differs = await post(here, '/account/password', { _csrf: csrf, current_password: ADA.password, new_password: 'ada-second-password', confirm_password: 'ada-other-password' });
      expect([differs.status, fieldError(differs.text, 'confirm_password')]).toEqual([400, 'The two new passwords do not match.']);
      const unexpected = await post(here, '/account/password', { _csrf: csrf, current_password: ADA.password, new_password: 'x'.repeat(12), confirm_password: 'x'.repeat(12), role: 'owner' });
      expect(unexpected.status).toBe(400);
      expect(unexpected.text).toContain('Unexpected field &quot;role&quot;.');
      await signInAs(t, ADA.email, ADA.password);
    });

    it('is refused without the session\'s CSRF token', async () => {
      const here = await signInAs(t, ADA.email, ADA.password);
      const fields = { current_password: ADA.password, new_password: 'ada-second-password', confirm_password: 'ada-second-password' };
      expect((await post(here, '/account/password', fields)).status).toBe(403);
      expect((await post(here, '/account/password', { ...fields, _csrf: 'A'.repeat(43) })).status).toBe(403);
      await signInAs(t, ADA.email, ADA.password);
    });

    it('changes it: every other session of the user is signed out, the current one and other users\' stay', async () => {
      const here = await signInAs(t, ADA.email, ADA.password);
      const other = await signInAs(t, ADA.email, ADA.password);
      const third = await signInAs(t, ADA.email, ADA.password);
      const owner = await signInAs(t, email('owner'), scope.password);
      const csrf = await csrfOf(here);
      // Sessions signed in by the tests above are still live: all of them end but this one.
      const [{ n: live }] = await t.db.query<{ n: number }>('select count(*)::int as n from sessions where user_id = $1', [adaId]);
      expect(live).toBeGreaterThanOrEqual(3);
      const res = await post(here, '/account/password', { _csrf: csrf, current_password: ADA.password, new_password: 'ada-second-password', confirm_password: 'ada-second-password' });
      expect([res.status, res.headers.location]).toEqual([303, '/account?saved=password']);

      const after = await page(here, res.headers.location).expect(200);
      expect(after.text).toContain('Password changed. Every other session of your account was signed out.');
      for (const gone of [other, third]) {
        const signedOut = await page(gone);
        expect([signedOut.status, signedOut.headers.location]).toEqual([303, '/login?next=%2Faccount']);
        // A form from a signed-out session is not accepted either.
        expect((await post(gone, '/account/tokens', { _csrf: csrf, name: 'x' })).status).toBe(401);
      }
      await page(owner).expect(200);
      const [{ n }] = await t.db.query<{ n: number }>('select count(*)::int as n from sessions where user_id = $1', [adaId]);
      expect(n).toBe(1);

      await expect(signInAs(t, ADA.email, ADA.password)).rejects.toThrow(/answered 401/);
      await signInAs(t, ADA.email, 'ada-second-password');
      const [changed] = await t.db.query<{ metadata: Record<string, unknown>; actor_user_id: string; actor_label: string }>(
        `select metadata, actor_user_id, actor_label from audit_events where action = 'auth.password_changed' and subject_id = $1`,
        [adaId],
      );
      expect(changed).toEqual({ actor_user_id: adaId, actor_label: ADA.email, metadata: { user_id: adaId, ended_sessions: live - 1 } });
      const audited = await t.db.query<{ metadata: unknown }>(`select metadata from audit_events where actor_user_id = $1`, [adaId]);
      expect(JSON.stringify(audited)).not.toMatch(/ada-(first|second)-password/);
    });

    it('guessing the current password from a session stops after five tries: 429 beside the field, the right one refused too', async () => {
      const GRACE = { email: 'grace@opsdeck.test', password: 'grace-first-password', displayName: 'Grace Guessed' };
      await t.get<IdentityAdminService>(IdentityAdminService).createUser(GRACE);
      const here = await signInAs(t, GRACE.email, GRACE.password);
      const csrf = await csrfOf(here);
      const change = (current: string) =>
        post(here, '/account/password', { _csrf: csrf, current_password: current, new_password: 'grace-new-password', confirm_password: 'grace-new-password' });
      for (let i = 0; i < 5; i++) expect((await change(`guess-${i}-password`)).status).toBe(400);
      const refused = await change(GRACE.password);
      expect(refused.status).toBe(429);
      expect(fieldError(refused.text, 'current_password')).toBe('Too many password change attempts. Try again in 15 minutes.');
      await signInAs(t, GRACE.email, GRACE.password); // unchanged
    });
  });

  describe('personal API tokens over the API', () => {
    it('creates a token shown once, usable at once, listed with its dates but never its secret or hash', async () => {
      const before = Date.now();
      const created = await http().post('/api/v1/me/tokens').set(api.auth('operator')).send({ name: '  deploy pipeline ', expires_in_days: 30 });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'deploy pipeline',
        created_at: expect.any(String),
        last_used_at: null,
        expires_at: expect.any(String),
        expired: false,
        token: expect.stringMatching(/^odk_[A-Za-z0-9_-]{43}$/),
      });
      const expiresIn = Date.parse(created.body.expires_at) - before;
      expect(expiresIn).toBeGreaterThanOrEqual(30 * 86_400_000 - 5_000);
      expect(expiresIn).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);
      const secret = created.body.token as string;

      const me = await http().get('/api/v1/me').set(bearer(secret)).expect(200);
      expect(me.body.id).toBe(scope.userIds.operator);

      const listed = await http().get('/api/v1/me/tokens').set(bearer(secret)).expect(200);
      const item = listed.body.items.find((x: { id: string }) => x.id === created.body.id);
      expect(item).toEqual({ ...created.body, token: undefined, last_used_at: expect.any(String) });
      expect(Object.keys(item)).not.toContain('token');
      expect(listed.text).not.toContain(secret);
      expect(listed.text).not.toContain(sha256(secret));
      expect(listed.body.items.map((x: { name: string }) => x.name)).toEqual(['deploy pipeline', 'operator e2e']);
      // Only the hash is stored.
      const [row] = await t.db.query<Record<string, unknown>>('select * from api_tokens where id = $1', [created.body.id]);
      expect(row.token_hash).toBe(sha256(secret));
      expect(JSON.stringify(row)).not.toContain(secret);
    });

    it('revokes at once: the next request with the token is 401', async () => {
      const created = await http().post('/api/v1/me/tokens').set(api.auth('viewer')).send({ name: 'short-lived' }).expect(201);
      expect(created.body.expires_at).toBeNull();
      await http().get('/api/v1/me').set(bearer(created.body.token)).expect(200);
      const revoked = await http().delete(`/api/v1/me/tokens/${created.body.id}`).set(api.auth('viewer'));
      expect([revoked.status, revoked.text]).toEqual([204, '']);
      const after = await http().get('/api/v1/me').set(bearer(created.body.token));
      expect([after.status, after.body.error?.code]).toEqual([401, 'unauthenticated']);
      const listed = await http().get('/api/v1/me/tokens').set(api.auth('viewer')).expect(200);
      expect(listed.body.items.map((x: { id: string }) => x.id)).not.toContain(created.body.id);
      // Revoking again: like an unknown token.
      const again = await http().delete(`/api/v1/me/tokens/${created.body.id}`).set(api.auth('viewer'));
      expect([again.status, again.body]).toEqual([404, NOT_FOUND_BODY]);
    });

    it('a token may revoke itself', async () => {
      const created = await http().post('/api/v1/me/tokens').set(api.auth('viewer')).send({ name: 'self' }).expect(201);
      await http().delete(`/api/v1/me/tokens/${created.body.id}`).set(bearer(created.body.token)).expect(204);
      await http().get('/api/v1/me/tokens').set(bearer(created.body.token)).expect(401);
    });

    it('an expired token answers 401 and is listed as expired', async () => {
      const created = await http().post('/api/v1/me/tokens').set(api.auth('owner')).send({ name: 'one day', expires_in_days: 1 }).expect(201);
      await http().get('/api/v1/me').set(bearer(created.body.token)).expect(200);
      // A day passes (the row is moved, not the clock: the app judges expiry on its own clock).
      await t.db.query(`update api_tokens set expires_at = now() - interval '1 second' where id = $1`, [created.body.id]);
      const res = await http().get('/api/v1/me').set(bearer(created.body.token));
      expect([res.status, res.body.error?.code]).toEqual([401, 'unauthenticated']);
      expect(res.body.error.message).toMatch(/expired/);
      const listed = await http().get('/api/v1/me/tokens').set(api.auth('owner')).expect(200);
      expect(listed.body.items.find((x: { id: string }) => x.id === created.body.id)).toMatchObject({ expired: true });
    });

    it('another user\'s token id answers exactly like an unknown or malformed id (404), and stays valid', async () => {
      const mine = await http().post('/api/v1/me/tokens').set(api.auth('operator')).send({ name: 'not yours' }).expect(201);
      const theirs = await http().delete(`/api/v1/me/tokens/${mine.body.id}`).set(api.auth('outsider'));
      const unknown = await http().delete(`/api/v1/me/tokens/${randomUUID()}`).set(api.auth('outsider'));
      const malformed = await http().delete('/api/v1/me/tokens/not-a-uuid').set(api.auth('outsider'));
      expect({ status: theirs.status, body: theirs.body, text: theirs.text }).toEqual({ status: unknown.status, body: unknown.body, text: unknown.text });
      expect({ status: malformed.status, text: malformed.text }).toEqual({ status: 404, text: unknown.text });
      expect(unknown.body).toEqual(NOT_FOUND_BODY);
      await http().get('/api/v1/me').set(bearer(mine.body.token)).expect(200);
      const outsiderList = await http().get('/api/v1/me/tokens').set(api.auth('outsider')).expect(200);
      expect(outsiderList.body.items.map((x: { name: string }) => x.name)).toEqual(['outsider e2e']);
    });

    it.each([
      ['no name', {}, 'bad_request'],
      ['a blank name', { name: '   ' }, 'invalid_token_name'],
      ['an empty name', { name: '' }, 'bad_request'],
      ['a long name', { name: 'x'.repeat(101) }, 'bad_request'],
      ['zero days', { name: 'x', expires_in_days: 0 }, 'bad_request'],
      ['366 days', { name: 'x', expires_in_days: 366 }, 'bad_request'],
      ['a fraction of a day', { name: 'x', expires_in_days: 1.5 }, 'bad_request'],
      ['days as a string', { name: 'x', expires_in_days: '30' }, 'bad_request'],
      ['an unknown field', { name: 'x', user_id: randomUUID() }, 'bad_request'],
    ])('refuses %s with a 400 and creates nothing', async (_name, body, code) => {
      const [{ n: before }] = await t.db.query<{ n: number }>('select count(*)::int as n from api_tokens');
      const res = await http().post('/api/v1/me/tokens').set(api.auth('owner')).send(body);
      expect([res.status, res.body.error?.code]).toEqual([400, code]);
      expect(res.body.error.message.length).toBeGreaterThan(0);
      const [{ n: after }] = await t.db.query<{ n: number }>('select count(*)::int as n from api_tokens');
      expect(after).toBe(before);
    });

    it('audits creation and revocation with their actor, never the secret', async () => {
      const created = await http().post('/api/v1/me/tokens').set(api.auth('outsider')).send({ name: 'audited' }).expect(201);
      await http().delete(`/api/v1/me/tokens/${created.body.id}`).set(api.auth('outsider')).expect(204);
      const events = await t.db.query<{ action: string; actor_user_id: string; metadata: Record<string, unknown> }>(
        `select action, actor_user_id, metadata from audit_events where subject_id = $1 order by id`,
        [created.body.id],
      );
      expect(events).toEqual([
        { action: 'token.created', actor_user_id: scope.userIds.outsider, metadata: { user_id: scope.userIds.outsider, email: email('outsider'), name: 'audited', expires_at: null } },
        { action: 'token.revoked', actor_user_id: scope.userIds.outsider, metadata: { user_id: scope.userIds.outsider, email: email('outsider') } },
      ]);
      const all = JSON.stringify(await t.db.query('select metadata from audit_events'));
      expect(all).not.toContain(created.body.token);
      expect(all).not.toContain(sha256(created.body.token));
    });
  });

  describe('personal API tokens on the page', () => {
    let cookie: string;
    let csrf: string;

    beforeAll(async () => {
      cookie = await signInAs(t, email('viewer'), scope.password);
      csrf = await csrfOf(cookie);
    });

    it('is linked from the header and lists the tokens with a Revoke form each, never a secret', async () => {
      const res = await page(cookie).expect(200);
      expect(res.text).toContain('<a href="/account" data-testid="account-link" aria-current="page">Account</a>');
      expect(res.text).toContain('viewer e2e');
      expect(res.text).not.toContain(api.tokens.viewer);
      const [{ id }] = await t.db.query<{ id: string }>(`select id from api_tokens where user_id = $1 and name = 'viewer e2e'`, [scope.userIds.viewer]);
      expect(res.text).toContain(`action="/account/tokens/${id}/revoke"`);
      const elsewhere = await page(cookie, '/notifications').expect(200);
      expect(elsewhere.text).toContain('<a href="/account" data-testid="account-link">Account</a>');
    });

    it('creates a token whose page shows it once; the account page then lists it without it; Revoke ends it at once', async () => {
      const res = await post(cookie, '/account/tokens', { _csrf: csrf, name: 'from the page', expires_in_days: '7' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const secret = /data-testid="new-token"/.test(res.text) ? /value="(odk_[A-Za-z0-9_-]{43})"/.exec(res.text)?.[1] : undefined;
      expect(secret).toBeDefined();
      const me = await http().get('/api/v1/me').set(bearer(secret!)).expect(200);
      expect(me.body.id).toBe(scope.userIds.viewer);

      const listed = await page(cookie).expect(200);
      expect(listed.text).toContain('from the page');
      expect(listed.text).not.toContain(secret!);
      const [{ id, expires_at }] = await t.db.query<{ id: string; expires_at: Date }>(
        `select id, expires_at from api_tokens where user_id = $1 and name = 'from the page'`,
        [scope.userIds.viewer],
      );
      expect(expires_at.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

      const revoked = await post(cookie, `/account/tokens/${id}/revoke`, { _csrf: csrf });
      expect([revoked.status, revoked.headers.location]).toEqual([303, '/account?saved=revoked']);
      expect((await page(cookie, revoked.headers.location)).text).toContain('Token revoked.');
      await http().get('/api/v1/me').set(bearer(secret!)).expect(401);
    });

    it('puts a refused name or lifetime beside its field', async () => {
      const blank = await post(cookie, '/account/tokens', { _csrf: csrf, name: '   ', expires_in_days: '' });
      expect(blank.status).toBe(400);
      expect(blank.text).toContain('<p class="field-error" id="name-error">Token names must be 1 to 100 characters long.</p>');
      const forged = await post(cookie, '/account/tokens', { _csrf: csrf, name: 'forged', expires_in_days: '9999' });
      expect(forged.status).toBe(400);
      expect(forged.text).toContain('<p class="field-error" id="expires_in_days-error">Choose a lifetime from the list.</p>');
      expect(forged.text).toContain('value="forged"');
    });

    it('another user\'s token cannot be revoked from the page: the same 404 as an unknown id', async () => {
      const [{ id }] = await t.db.query<{ id: string }>(`select id from api_tokens where user_id = $1 and name = 'owner e2e'`, [scope.userIds.owner]);
      const theirs = await post(cookie, `/account/tokens/${id}/revoke`, { _csrf: csrf });
      const unknown = await post(cookie, `/account/tokens/${randomUUID()}/revoke`, { _csrf: csrf });
      expect(theirs.status).toBe(404);
      expect({ status: theirs.status, text: theirs.text }).toEqual({ status: unknown.status, text: unknown.text });
      await http().get('/api/v1/me').set(api.auth('owner')).expect(200);
    });

    it('every state of the page is valid HTML: tokens listed (one expired), errors beside fields, the new token shown once', async () => {
      const created = await post(cookie, '/account/tokens', { _csrf: csrf, name: 'html check', expires_in_days: '30' });
      await t.db.query(`update api_tokens set expires_at = now() - interval '1 second' where user_id = $1 and name = 'html check'`, [scope.userIds.viewer]);
      const listed = await page(cookie).expect(200);
      expect(listed.text).toContain('Expired');
      const refused = await post(cookie, '/account/tokens', { _csrf: csrf, name: '', expires_in_days: '9999' });
      const password = await post(cookie, '/account/password', { _csrf: csrf, current_password: 'wrong-password', new_password: 'a-new-password', confirm_password: 'a-new-password' });
      const problems: string[] = [];
      for (const [name, res] of [['new token', created], ['list', listed], ['token errors', refused], ['password errors', password]] as const) {
        for (const error of await validateHtml(res.text)) problems.push(`${name}: ${error}`);
      }
      expect(problems).toEqual([]);
    });

    it('refuses every account form without the session\'s CSRF token, and changes nothing', async () => {
      const [{ id }] = await t.db.query<{ id: string }>(`select id from api_tokens where user_id = $1 and name = 'viewer e2e'`, [scope.userIds.viewer]);
      const active = async () =>
        (await t.db.query<{ n: number }>('select count(*)::int as n from api_tokens where user_id = $1 and revoked_at is null', [scope.userIds.viewer]))[0].n;
      const before = await active();
      for (const [path, fields] of [
        ['/account/tokens', { name: 'forged' }],
        [`/account/tokens/${id}/revoke`, {}],
        ['/account/password', { current_password: scope.password, new_password: 'forged-password', confirm_password: 'forged-password' }],
      ] as const) {
        const res = await post(cookie, path, fields);
        expect([path, res.status]).toEqual([path, 403]);
        expect(res.text).toContain('security token is missing or out of date');
      }
      expect(await active()).toBe(before);
      await http().get('/api/v1/me').set(api.auth('viewer')).expect(200);
      await signInAs(t, email('viewer'), scope.password);
    });
  });
});
