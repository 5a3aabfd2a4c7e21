import { createHash } from 'node:crypto';
import request from 'supertest';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { ApiPersonas, insertApiToken, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { cookiePair, hiddenField, signInAs } from '../support/browser-session';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Members and invitations (issue 19) over HTTP against real PostgreSQL and Redis: listing, adding
 * an existing user, inviting (the one-time link: accept once, then it is gone; expired links look
 * the same), the last-owner rule (also under two concurrent demotions), escalation refused (no
 * members.manage, a limited owner widening scope), a change seen on the member's very next
 * request, the members page with CSRF and errors beside fields, and the audit trail.
 */
describe('members and invitations', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const http = () => request(t.app.getHttpServer());
  const MEMBERS = '/api/v1/workspaces/contoso-msp/members';
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const identity = () => t.get<IdentityAdminService>(IdentityAdminService);
  const PASSWORD = 'a-long-enough-password';

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
  });
  afterAll(() => t?.close());

  /** A user (not a member of anything) with an API token. */
  async function newUser(email: string): Promise<{ id: string; token: string }> {
    const user = await identity().createUser({ email, password: PASSWORD, displayName: email.split('@')[0] });
    return { id: user.id, token: await insertApiToken(t.db, user.id) };
  }
  const setMembership = (email: string, role: string, environmentSlugs: string[] | null = null) =>
    identity().setMembership({ email, workspaceSlug: 'contoso-msp', role, environmentSlugs }, { userId: null, label: 'test' });
  const auditOf = (action: string, subjectId: string) =>
    t.db.query<{ actor_user_id: string | null; metadata: Record<string, unknown> }>(
      `select actor_user_id, metadata from audit_events where action = $1 and subject_id = $2`,
      [action, subjectId],
    );

  describe('the list', () => {
    it('shows members with their scope and pending invitations to owners; 403 to other members, 404 to outsiders', async () => {
      const res = await http().get(MEMBERS).set(api.auth('owner')).expect(200);
      const byEmail = Object.fromEntries(res.body.items.map((m: { user: { email: string } }) => [m.user.email, m]));
      expect(res.body.items[0]).toEqual({ user: { id: scope.userIds.owner, email: 'owner@opsdeck.test', display_name: 'Olivia Owner' }, role: 'owner', environments: 'all' });
      expect(byEmail['operator@opsdeck.test']).toMatchObject({ role: 'operator', environments: ['contoso-hq', 'fabrikam'] });
      expect(byEmail['viewer@opsdeck.test']).toMatchObject({ role: 'readonly', environments: 'all' });
      expect(byEmail['outsider@opsdeck.test']).toBeUndefined();
      expect(res.body.invitations).toEqual(expect.any(Array));
      for (const persona of ['operator', 'viewer'] as const) {
        const refused = await http().get(MEMBERS).set(api.auth(persona)).expect(403);
        expect(refused.body.error.code).toBe('forbidden');
      }
      expect((await http().get(MEMBERS).set(api.auth('outsider')).expect(404)).body).toEqual(NOT_FOUND_BODY);
    });
  });

  describe('adding an existing user', () => {
    it('adds them with the role and scope given (201 member), audited with the actor; again → 409 already_member', async () => {
      const ada = await newUser('ada.member@opsdeck.test');
      const res = await http()
        .post(MEMBERS)
        .set(api.auth('owner'))
        .send({ email: 'Ada.Member@opsdeck.test', role: 'operator', environments: ['fabrikam'] })
        .expect(201);
      expect(res.body).toEqual({ member: { user: { id: ada.id, email: 'ada.member@opsdeck.test', display_name: 'ada.member' }, role: 'operator', environments: ['fabrikam'] } });
      // Their very next request sees the workspace, limited to fabrikam.
      const envs = await http().get('/api/v1/workspaces/contoso-msp/environments').set(bearer(ada.token)).expect(200);
      expect(envs.body.items.map((e: { slug: string }) => e.slug)).toEqual(['fabrikam']);
      const [membership] = await t.db.query<{ id: string }>(`select id from memberships where user_id = $1`, [ada.id]);
      const [audited] = await auditOf('membership.added', membership.id);
      expect(audited).toMatchObject({ actor_user_id: scope.userIds.owner, metadata: { user_id: ada.id, role: 'operator' } });

      const again = await http().post(MEMBERS).set(api.auth('owner')).send({ email: 'ada.member@opsdeck.test', role: 'readonly' }).expect(409);
      expect(again.body.error.code).toBe('already_member');
    });

    it('refuses bad input with a clear 400', async () => {
      const cases: [object, string][] = [
        [{ email: 'not-an-email', role: 'readonly' }, 'invalid_email'],
        [{ email: 'x@opsdeck.test', role: 'admin' }, 'bad_request'],
        [{ email: 'x@opsdeck.test', role: 'readonly', environments: [] }, 'bad_request'],
        [{ email: 'x@opsdeck.test', role: 'readonly', environments: 'some' }, 'bad_request'],
        [{ email: 'x@opsdeck.test', role: 'readonly', environments: ['nowhere'] }, 'unknown_environment'],
      ];
      for (const [body, code] of cases) {
        const res = await http().post(MEMBERS).set(api.auth('owner')).send(body);
        expect([res.status, res.body.error.code]).toEqual([400, code]);
      }
    });
  });

  describe('invitations', () => {
    async function invite(email: string, body: object = {}): Promise<{ token: string; id: string; url: string }> {
      const res = await http().post(MEMBERS).set(api.auth('owner')).send({ email, role: 'operator', environments: ['contoso-hq'], ...body }).expect(201);
      expect(res.body.member).toBeUndefined();
      const url: string = res.body.invitation_url;
      expect(url).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
      return { token: url.slice('/invite/'.length), id: res.body.invitation.id, url };
    }
    /** The accept form's CSRF cookie and token, as a browser would get them. */
    async function openInvite(url: string) {
      const page = await http().get(url).expect(200);
      return { page, cookie: cookiePair(page, 'opsdeck_login_csrf'), csrf: hiddenField(page.text, '_csrf')! };
    }
    const acceptForm = (url: string, cookie: string, fields: Record<string, string>) =>
      http().post(url).set('Cookie', cookie).type('form').send(fields);

    it('invite → accept: a one-time link stored hashed; the invitee sets name and password, is signed in and sees the workspace', async () => {
      const { token, id, url } = await invite('newcomer@opsdeck.test');
      const [row] = await t.db.query<{ token_hash: string; expires_at: Date; created_at: Date }>(
        `select token_hash, expires_at, created_at from membership_invitations where id = $1`,
        [id],
      );
      expect(row.token_hash).toBe(sha256(token));
      expect(row.expires_at.getTime() - row.created_at.getTime()).toBeCloseTo(7 * 24 * 3600 * 1000, -4);
      const listed = await http().get(MEMBERS).set(api.auth('owner')).expect(200);
      expect(listed.body.invitations).toContainEqual(
        expect.objectContaining({ id, email: 'newcomer@opsdeck.test', role: 'operator', environments: ['contoso-hq'], invited_by: { id: scope.userIds.owner, email: 'owner@opsdeck.test' } }),
      );
      expect(JSON.stringify(listed.body)).not.toContain(token);
      const [invited] = await auditOf('membership.invited', id);
      expect(invited.actor_user_id).toBe(scope.userIds.owner);
      expect(JSON.stringify(invited.metadata)).not.toContain(token);

      const { page, cookie, csrf } = await openInvite(url);
      expect(page.text).toContain('newcomer@opsdeck.test');
      expect(page.headers['cache-control']).toBe('no-store');
      // Errors beside their fields; nothing is created.
      const weak = await acceptForm(url, cookie, { _csrf: csrf, display_name: 'Nina Newcomer', password: 'short', confirm_password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.text).toMatch(/<p class="field-error" id="password-error">Passwords must be at least 10 characters long.<\/p>/);
      const mismatch = await acceptForm(url, cookie, { _csrf: csrf, display_name: 'Nina', password: PASSWORD, confirm_password: `${PASSWORD}x` });
      expect(mismatch.text).toContain('id="confirm_password-error">The two passwords do not match.');
      const noName = await acceptForm(url, cookie, { _csrf: csrf, display_name: '', password: PASSWORD, confirm_password: PASSWORD });
      expect(noName.text).toContain('id="display_name-error">Enter your name.');
      const forged = await acceptForm(url, cookie, { _csrf: 'x'.repeat(43), display_name: 'Nina', password: PASSWORD, confirm_password: PASSWORD });
      expect(forged.status).toBe(403);
      expect((await t.db.query(`select 1 from users where email = 'newcomer@opsdeck.test'`)).length).toBe(0);

      const accepted = await acceptForm(url, cookie, { _csrf: csrf, display_name: 'Nina Newcomer', password: PASSWORD, confirm_password: PASSWORD });
      expect(accepted.status).toBe(303);
      expect(accepted.headers.location).toBe('/w/contoso-msp');
      const session = cookiePair(accepted, 'opsdeck_session');
      await http().get('/w/contoso-msp').set('Cookie', session).set('Accept', 'text/html').expect(200);
      // A fresh sign-in works too, and the new member sees only contoso-hq.
      const again = await signInAs(t, 'newcomer@opsdeck.test', PASSWORD);
      const envPage = await http().get('/w/contoso-msp/e/contoso-hq').set('Cookie', again).set('Accept', 'text/html');
      expect(envPage.status).toBe(200);
      const hidden = await http().get('/w/contoso-msp/e/northwind').set('Cookie', again).set('Accept', 'text/html');
      expect(hidden.status).toBe(404);
      const [user] = await t.db.query<{ id: string }>(`select id from users where email = 'newcomer@opsdeck.test'`);
      const [audited] = await auditOf('membership.invitation_accepted', id);
      expect(audited).toMatchObject({ actor_user_id: user.id, metadata: { email: 'newcomer@opsdeck.test', role: 'operator' } });
      const after = await http().get(MEMBERS).set(api.auth('owner')).expect(200);
      expect(after.body.invitations.map((i: { id: string }) => i.id)).not.toContain(id);

      // Reused: the same "not valid" 404 page, for the link and for the form.
      const reused = await http().get(url).expect(404);
      expect(reused.text).toContain('This invitation is not valid');
      const reposted = await acceptForm(url, cookie, { _csrf: csrf, display_name: 'Mallory', password: PASSWORD, confirm_password: PASSWORD });
      expect(reposted.status).toBe(404);
      expect(reposted.text).toContain('This invitation is not valid');
    });

    it('an expired, replaced or unknown link answers the same 404 page', async () => {
      const expired = await invite('late@opsdeck.test');
      await t.db.query(`update membership_invitations set expires_at = now() - interval '1 second' where id = $1`, [expired.id]);
      const first = await invite('twice@opsdeck.test');
      const second = await invite('twice@opsdeck.test', { role: 'readonly' });
      // The replaced row stays, revoked: one live invitation per email.
      const rows = await t.db.query<{ id: string; revoked: boolean }>(
        `select id, revoked_at is not null as revoked from membership_invitations where lower(email) = 'twice@opsdeck.test' order by created_at`,
      );
      expect(rows).toEqual([{ id: first.id, revoked: true }, { id: second.id, revoked: false }]);
      for (const url of [expired.url, first.url, `/invite/${'A'.repeat(43)}`, '/invite/not-a-token']) {
        const res = await http().get(url);
        expect([url, res.status]).toEqual([url, 404]);
        expect(res.text).toContain('This invitation is not valid');
      }
      const { cookie, csrf } = await openInvite(second.url);
      await t.db.query(`update membership_invitations set expires_at = now() - interval '1 second' where id = $1`, [second.id]);
      const late = await acceptForm(second.url, cookie, { _csrf: csrf, display_name: 'Late', password: PASSWORD, confirm_password: PASSWORD });
      expect(late.status).toBe(404);
      expect((await t.db.query(`select 1 from users where email = 'twice@opsdeck.test'`)).length).toBe(0);
    });
  });

  describe('the last owner', () => {
    it('can be neither demoted nor removed (409 last_owner)', async () => {
      const demote = await http().patch(`${MEMBERS}/${scope.userIds.owner}`).set(api.auth('owner')).send({ role: 'manager' }).expect(409);
      expect(demote.body.error.code).toBe('last_owner');
      const remove = await http().delete(`${MEMBERS}/${scope.userIds.owner}`).set(api.auth('owner')).expect(409);
      expect(remove.body.error.code).toBe('last_owner');
    });

    it('survives two concurrent demotions of the last two owners: exactly one succeeds', async () => {
      const second = await newUser('second.owner@opsdeck.test');
      for (let round = 0; round < 3; round++) {
        await setMembership('second.owner@opsdeck.test', 'owner');
        await setMembership('owner@opsdeck.test', 'owner');
        const [a, b] = await Promise.all([
          http().patch(`${MEMBERS}/${scope.userIds.owner}`).set(api.auth('owner')).send({ role: 'manager' }),
          http().patch(`${MEMBERS}/${second.id}`).set(bearer(second.token)).send({ role: 'manager' }),
        ]);
        expect([a.status, b.status].sort()).toEqual([200, 409]);
        expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('last_owner');
        const owners = await t.db.query(`select 1 from memberships where workspace_id = $1 and role = 'owner'`, [scope.workspaceId]);
        expect(owners).toHaveLength(1);
      }
      await setMembership('owner@opsdeck.test', 'owner');
      await http().delete(`${MEMBERS}/${second.id}`).set(api.auth('owner')).expect(204);
    });
  });

  describe('escalation', () => {
    it('members without members.manage (a manager granting owner, an operator, a viewer) are refused 403', async () => {
      const manager = await newUser('manager.member@opsdeck.test');
      await setMembership('manager.member@opsdeck.test', 'manager');
      for (const auth of [bearer(manager.token), api.auth('operator'), api.auth('viewer')]) {
        const grant = await http().post(MEMBERS).set(auth).send({ email: 'manager.member@opsdeck.test', role: 'owner' }).expect(403);
        expect(grant.body.error.code).toBe('forbidden');
        await http().patch(`${MEMBERS}/${manager.id}`).set(auth).send({ role: 'owner' }).expect(403);
      }
      const [row] = await t.db.query<{ role: string }>(`select role from memberships where user_id = $1`, [manager.id]);
      expect(row.role).toBe('manager');
    });

    it('an owner limited to some environments grants only those and cannot change wider members', async () => {
      const limited = await newUser('limited.owner@opsdeck.test');
      await setMembership('limited.owner@opsdeck.test', 'owner', ['contoso-hq', 'fabrikam']);
      const as = bearer(limited.token);
      const refused = async (res: request.Response, status: number, code: string) => expect([res.status, res.body.error?.code]).toEqual([status, code]);
      await refused(await http().post(MEMBERS).set(as).send({ email: 'wide@opsdeck.test', role: 'readonly' }), 403, 'scope_outside_yours');
      await refused(await http().post(MEMBERS).set(as).send({ email: 'wide@opsdeck.test', role: 'readonly', environments: 'all' }), 403, 'scope_outside_yours');
      // An environment outside their scope is as unknown to them as one that does not exist.
      await refused(await http().post(MEMBERS).set(as).send({ email: 'wide@opsdeck.test', role: 'readonly', environments: ['northwind'] }), 400, 'unknown_environment');
      await refused(await http().patch(`${MEMBERS}/${scope.userIds.viewer}`).set(as).send({ environments: ['contoso-hq'] }), 403, 'scope_outside_yours');
      await refused(await http().delete(`${MEMBERS}/${scope.userIds.viewer}`).set(as), 403, 'scope_outside_yours');
      await refused(await http().patch(`${MEMBERS}/${scope.userIds.operator}`).set(as).send({ environments: 'all' }), 403, 'scope_outside_yours');
      // Within their own environments, they may.
      await http().patch(`${MEMBERS}/${scope.userIds.operator}`).set(as).send({ environments: ['contoso-hq', 'fabrikam'] }).expect(200);
      const ok = await http().post(MEMBERS).set(as).send({ email: 'narrow@opsdeck.test', role: 'readonly', environments: ['fabrikam'] }).expect(201);
      expect(ok.body.invitation.environments).toEqual(['fabrikam']);
      const [viewer] = await t.db.query<{ all_environments: boolean }>(`select all_environments from memberships where user_id = $1`, [scope.userIds.viewer]);
      expect(viewer.all_environments).toBe(true);
      // Leaves the demo owner as the only owner again (the last-owner tests below rely on it).
      await setMembership('limited.owner@opsdeck.test', 'readonly', ['contoso-hq']);
    });
  });

  describe('changes take effect on the very next request', () => {
    it('a demoted member loses the capability and a removed member the workspace, at once; audited with the actor', async () => {
      const dora = await newUser('dora.demoted@opsdeck.test');
      await setMembership('dora.demoted@opsdeck.test', 'manager');
      const audit = '/api/v1/workspaces/contoso-msp/audit';
      const first = await http().get(audit).set(bearer(dora.token));
      expect(first.status).toBe(200);
      const changed = await http().patch(`${MEMBERS}/${dora.id}`).set(api.auth('owner')).send({ role: 'readonly', environments: ['northwind'] }).expect(200);
      expect(changed.body).toEqual({ member: { user: { id: dora.id, email: 'dora.demoted@opsdeck.test', display_name: 'dora.demoted' }, role: 'readonly', environments: ['northwind'] } });
      expect((await http().get(audit).set(bearer(dora.token))).status).toBe(403);
      const envs = await http().get('/api/v1/workspaces/contoso-msp/environments').set(bearer(dora.token)).expect(200);
      expect(envs.body.items.map((e: { slug: string }) => e.slug)).toEqual(['northwind']);

      const [membership] = await t.db.query<{ id: string }>(`select id from memberships where user_id = $1`, [dora.id]);
      await http().delete(`${MEMBERS}/${dora.id}`).set(api.auth('owner')).expect(204);
      expect((await http().get('/api/v1/workspaces/contoso-msp/environments').set(bearer(dora.token)).expect(404)).body).toEqual(NOT_FOUND_BODY);
      expect((await http().get('/api/v1/workspaces').set(bearer(dora.token)).expect(200)).body.items).toEqual([]);
      // Gone: a second removal is the same 404 as an unknown user.
      expect((await http().delete(`${MEMBERS}/${dora.id}`).set(api.auth('owner')).expect(404)).body).toEqual(NOT_FOUND_BODY);

      const [roleChanged] = await auditOf('membership.role_changed', membership.id);
      expect(roleChanged).toMatchObject({ actor_user_id: scope.userIds.owner, metadata: { user_id: dora.id, role: 'readonly', previous_role: 'manager' } });
      const [removed] = await auditOf('membership.removed', membership.id);
      expect(removed).toMatchObject({ actor_user_id: scope.userIds.owner, metadata: { user_id: dora.id, role: 'readonly' } });
    });

    it('a signed-in member demoted mid-session loses the members page on their next page view', async () => {
      await newUser('pat.page@opsdeck.test');
      await setMembership('pat.page@opsdeck.test', 'owner');
      const session = await signInAs(t, 'pat.page@opsdeck.test', PASSWORD);
      const page = () => http().get('/w/contoso-msp/members').set('Cookie', session).set('Accept', 'text/html');
      expect((await page()).status).toBe(200);
      await setMembership('pat.page@opsdeck.test', 'operator');
      expect((await page()).status).toBe(403);
    });
  });

  describe('the members page', () => {
    let session: string;
    let csrf: string;
    const page = (path = '/w/contoso-msp/members') => http().get(path).set('Cookie', session).set('Accept', 'text/html');
    const post = (path: string, fields: Record<string, string | string[]>) =>
      http().post(path).set('Cookie', session).set('Accept', 'text/html').type('form').send({ _csrf: csrf, ...fields });
    const fieldError = (html: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1] ?? null;

    beforeAll(async () => {
      session = await signInAs(t, 'owner@opsdeck.test', scope.password);
      const res = await page().expect(200);
      csrf = hiddenField(res.text, '_csrf')!;
    });

    it('is linked from the workspace navigation for owners only; 403 for other members, 404 for outsiders', async () => {
      const overview = await page('/w/contoso-msp').expect(200);
      expect(overview.text).toContain('href="/w/contoso-msp/members"');
      const viewer = await signInAs(t, 'viewer@opsdeck.test', scope.password);
      const viewerOverview = await http().get('/w/contoso-msp').set('Cookie', viewer).set('Accept', 'text/html').expect(200);
      expect(viewerOverview.text).not.toContain('/w/contoso-msp/members');
      await http().get('/w/contoso-msp/members').set('Cookie', viewer).set('Accept', 'text/html').expect(403);
      const outsider = await signInAs(t, 'outsider@opsdeck.test', scope.password);
      await http().get('/w/contoso-msp/members').set('Cookie', outsider).set('Accept', 'text/html').expect(404);
    });

    it('invites from the form (the link shown once), with errors beside fields; CSRF required', async () => {
      const blank = await post('/w/contoso-msp/members', { email: '', role: 'readonly', scope: 'all' });
      expect(blank.status).toBe(400);
      expect(fieldError(blank.text, 'email')).toBe('Enter an email address.');
      const none = await post('/w/contoso-msp/members', { email: 'paged@opsdeck.test', role: 'readonly', scope: 'chosen' });
      expect(fieldError(none.text, 'environments')).toBe('Tick at least one environment, or choose all environments.');
      const member = await post('/w/contoso-msp/members', { email: 'viewer@opsdeck.test', role: 'readonly', scope: 'all' });
      expect(member.status).toBe(409);
      expect(fieldError(member.text, 'email')).toContain('already a member');
      const noCsrf = await http().post('/w/contoso-msp/members').set('Cookie', session).set('Accept', 'text/html').type('form').send({ email: 'x@opsdeck.test', role: 'readonly', scope: 'all' });
      expect(noCsrf.status).toBe(403);

      const created = await post('/w/contoso-msp/members', { email: 'paged@opsdeck.test', role: 'readonly', scope: 'chosen', environments: ['contoso-hq', 'northwind'] });
      expect(created.status).toBe(201);
      const url = /data-testid="invitation-url">([^<]+)</.exec(created.text)![1];
      expect(url).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
      const listed = await page().expect(200);
      expect(listed.text).toContain('paged@opsdeck.test');
      const row = new RegExp(`<tr data-invitation-id="[^"]+">\\s*<td>paged@opsdeck.test</td>[\\s\\S]*?</tr>`).exec(listed.text)?.[0] ?? '';
      expect(row).toContain('<td>owner@opsdeck.test</td>'); // invited by
      expect(listed.text).not.toContain(url);
    });

    it('changes a role and removes a member from the page; the last owner is refused beside the row', async () => {
      const pia = await newUser('pia.page@opsdeck.test');
      await setMembership('pia.page@opsdeck.test', 'readonly');
      const changed = await post(`/w/contoso-msp/members/${pia.id}`, { role: 'operator', scope: 'chosen', environments: 'fabrikam' });
      expect([changed.status, changed.headers.location]).toEqual([303, '/w/contoso-msp/members?saved=changed']);
      const [row] = await t.db.query<{ role: string; all_environments: boolean }>(`select role, all_environments from memberships where user_id = $1`, [pia.id]);
      expect(row).toEqual({ role: 'operator', all_environments: false });
      const demoteLast = await post(`/w/contoso-msp/members/${scope.userIds.owner}`, { role: 'readonly', scope: 'all' });
      expect(demoteLast.status).toBe(409);
      expect(demoteLast.text).toContain('A workspace keeps at least one owner');
      const removed = await post(`/w/contoso-msp/members/${pia.id}/remove`, {});
      expect([removed.status, removed.headers.location]).toEqual([303, '/w/contoso-msp/members?saved=removed']);
      expect(await t.db.query(`select 1 from memberships where user_id = $1`, [pia.id])).toHaveLength(0);
      const unknown = await post(`/w/contoso-msp/members/not-a-user/remove`, {});
      expect(unknown.status).toBe(404);
    });
  });
});
