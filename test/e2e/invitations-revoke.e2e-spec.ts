import request from 'supertest';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { ApiPersonas, insertApiToken, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { cookiePair, hiddenField, signInAs } from '../support/browser-session';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Revoking pending invitations (issue 19) over HTTP against real PostgreSQL and Redis: through
 * `DELETE /api/v1/workspaces/:w/invitations/:id` and the members page's Revoke button (CSRF), the
 * link then answers the "not valid" page and its accept form fails; unknown, accepted, expired and
 * other workspaces' invitations are the same 404 as a missing member; a revoke racing an accept
 * lets exactly one win; a new invitation of the same email revokes the old link (also when both
 * are sent at once). Audited with the actor; the revoked row stays.
 */
describe('revoking invitations', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const http = () => request(t.app.getHttpServer());
  const W = '/api/v1/workspaces/contoso-msp';
  const INVITATIONS = `${W}/invitations`;
  const PASSWORD = 'a-long-enough-password';
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const identity = () => t.get<IdentityAdminService>(IdentityAdminService);

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
  });
  afterAll(() => t?.close());

  interface Invited {
    id: string;
    url: string;
    token: string;
  }
  async function invite(email: string, body: object = {}, auth = api.auth('owner'), workspace = W): Promise<Invited> {
    const res = await http().post(`${workspace}/members`).set(auth).send({ email, role: 'operator', environments: 'all', ...body }).expect(201);
    const url: string = res.body.invitation_url;
    return { id: res.body.invitation.id, url, token: url.slice('/invite/'.length) };
  }
  /** The accept form's CSRF cookie and token, as a browser opening the link gets them. */
  async function openInvite(url: string) {
    const page = await http().get(url).expect(200);
    return { cookie: cookiePair(page, 'opsdeck_login_csrf'), csrf: hiddenField(page.text, '_csrf')! };
  }
  const accept = (url: string, form: { cookie: string; csrf: string }, name = 'Invitee') =>
    http().post(url).set('Cookie', form.cookie).type('form').send({ _csrf: form.csrf, display_name: name, password: PASSWORD, confirm_password: PASSWORD });
  const pendingIds = async () =>
    (await http().get(`${W}/members`).set(api.auth('owner')).expect(200)).body.invitations.map((i: { id: string }) => i.id) as string[];
  const row = async (id: string) =>
    (await t.db.query<{ revoked_at: Date | null; accepted_at: Date | null }>(`select revoked_at, accepted_at from membership_invitations where id = $1`, [id]))[0];
  const auditOf = (action: string, subjectId: string) =>
    t.db.query<{ actor_user_id: string | null; actor_label: string; metadata: Record<string, unknown> }>(
      `select actor_user_id, actor_label, metadata from audit_events where action = $1 and subject_id = $2`,
      [action, subjectId],
    );
  const usersWith = async (email: string) => (await t.db.query(`select 1 from users where lower(email) = lower($1)`, [email])).length;

  async function expectInvalidLink(url: string, form: { cookie: string; csrf: string }) {
    const link = await http().get(url);
    expect([link.status, link.text.includes('This invitation is not valid')]).toEqual([404, true]);
    const posted = await accept(url, form);
    expect([posted.status, posted.text.includes('This invitation is not valid')]).toEqual([404, true]);
  }

  describe('through the API', () => {
    it('revokes at once: 204, the link and its accept form answer the "not valid" page, nobody is created; audited, the row kept', async () => {
      const invited = await invite('revoked.api@opsdeck.test', { environments: ['contoso-hq'] });
      const form = await openInvite(invited.url);
      expect(await pendingIds()).toContain(invited.id);

      const res = await http().delete(`${INVITATIONS}/${invited.id}`).set(api.auth('owner')).expect(204);
      expect(res.text).toBe('');
      await expectInvalidLink(invited.url, form);
      expect(await usersWith('revoked.api@opsdeck.test')).toBe(0);
      expect(await pendingIds()).not.toContain(invited.id);
      expect(await row(invited.id)).toEqual({ revoked_at: expect.any(Date), accepted_at: null });
      const [audited] = await auditOf('membership.invitation_revoked', invited.id);
      expect(audited).toMatchObject({
        actor_user_id: scope.userIds.owner,
        actor_label: 'owner@opsdeck.test',
        metadata: { email: 'revoked.api@opsdeck.test', role: 'operator', environment_ids: [scope.environmentIds['contoso-hq']] },
      });
      expect(JSON.stringify(audited)).not.toContain(invited.token);

      // Revoked already: the same 404 as an unknown invitation.
      expect((await http().delete(`${INVITATIONS}/${invited.id}`).set(api.auth('owner')).expect(404)).body).toEqual(NOT_FOUND_BODY);
    });

    it('answers the 404 of a missing member for unknown, malformed, accepted, expired and other workspaces\' invitations', async () => {
      const missingMember = await http().delete(`${W}/members/00000000-0000-4000-8000-000000000000`).set(api.auth('owner')).expect(404);
      const accepted = await invite('accepted.first@opsdeck.test');
      expect((await accept(accepted.url, await openInvite(accepted.url))).status).toBe(303);
      const expired = await invite('expired.first@opsdeck.test');
      await t.db.query(`update membership_invitations set expires_at = now() - interval '1 second' where id = $1`, [expired.id]);
      const tailspin = await invite('tailspin.invitee@opsdeck.test', {}, api.auth('outsider'), '/api/v1/workspaces/tailspin-msp');

      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', accepted.id, expired.id, tailspin.id]) {
        const res = await http().delete(`${INVITATIONS}/${id}`).set(api.auth('owner'));
        expect([id, res.status, res.text]).toEqual([id, 404, missingMember.text]);
      }
      expect(await row(accepted.id)).toEqual({ revoked_at: null, accepted_at: expect.any(Date) });
      expect(await row(tailspin.id)).toEqual({ revoked_at: null, accepted_at: null });
      // Its own owner still can.
      await http().delete(`/api/v1/workspaces/tailspin-msp/invitations/${tailspin.id}`).set(api.auth('outsider')).expect(204);
    });

    it('refuses members without members.manage (403) and outsiders (404, like a missing workspace); the link keeps working', async () => {
      const invited = await invite('kept.link@opsdeck.test');
      for (const persona of ['operator', 'viewer'] as const) {
        const res = await http().delete(`${INVITATIONS}/${invited.id}`).set(api.auth(persona)).expect(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      const outsider = await http().delete(`${INVITATIONS}/${invited.id}`).set(api.auth('outsider')).expect(404);
      const noWorkspace = await http().delete(`/api/v1/workspaces/no-such-msp/invitations/${invited.id}`).set(api.auth('outsider')).expect(404);
      expect(outsider.text).toBe(noWorkspace.text);
      await http().delete(`${INVITATIONS}/${invited.id}`).expect(401);
      await http().get(invited.url).expect(200);
      expect(await pendingIds()).toContain(invited.id);
    });

    it('an owner limited to some environments revokes only invitations within their scope (403 scope_outside_yours)', async () => {
      const limited = await identity().createUser({ email: 'limited.revoker@opsdeck.test', password: PASSWORD, displayName: 'Limited' });
      await identity().setMembership(
        { email: limited.email, workspaceSlug: 'contoso-msp', role: 'owner', environmentSlugs: ['contoso-hq', 'fabrikam'] },
        { userId: null, label: 'test' },
      );
      const as = bearer(await insertApiToken(t.db, limited.id));
      const wide = await invite('wide.invitee@opsdeck.test', { environments: 'all' });
      const narrow = await invite('narrow.invitee@opsdeck.test', { environments: ['fabrikam'] });
      const refused = await http().delete(`${INVITATIONS}/${wide.id}`).set(as).expect(403);
      expect(refused.body.error.code).toBe('scope_outside_yours');
      // Re-inviting would revoke it just the same: refused alike, the old link keeps working.
      const replaced = await http().post(`${W}/members`).set(as).send({ email: 'wide.invitee@opsdeck.test', role: 'readonly', environments: ['fabrikam'] }).expect(403);
      expect(replaced.body.error.code).toBe('scope_outside_yours');
      await http().get(wide.url).expect(200);
      await http().delete(`${INVITATIONS}/${narrow.id}`).set(as).expect(204);
      const [audited] = await auditOf('membership.invitation_revoked', narrow.id);
      expect(audited.actor_user_id).toBe(limited.id);
      await identity().setMembership({ email: limited.email, workspaceSlug: 'contoso-msp', role: 'readonly' }, { userId: null, label: 'test' });
    });

    it('a revoke racing an accept of the same link: exactly one wins', async () => {
      for (let round = 0; round < 3; round++) {
        const email = `race.${round}@opsdeck.test`;
        const invited = await invite(email);
        const form = await openInvite(invited.url);
        const [revoked, accepted] = await Promise.all([http().delete(`${INVITATIONS}/${invited.id}`).set(api.auth('owner')), accept(invited.url, form)]);
        const outcome = [revoked.status, accepted.status];
        expect([[204, 404], [404, 303]]).toContainEqual(outcome);
        expect(await usersWith(email)).toBe(accepted.status === 303 ? 1 : 0);
        const state = await row(invited.id);
        expect([state.revoked_at !== null, state.accepted_at !== null]).toEqual([revoked.status === 204, accepted.status === 303]);
      }
    });
  });

  describe('inviting the same email again', () => {
    it('replaces the pending invitation: the old link stops working, the new one works; the old row is kept, revoked, and audited', async () => {
      const first = await invite('twice.invited@opsdeck.test', { role: 'operator' });
      const firstForm = await openInvite(first.url);
      const second = await invite('Twice.Invited@opsdeck.test', { role: 'readonly' });
      expect(second.id).not.toBe(first.id);

      await expectInvalidLink(first.url, firstForm);
      const ids = await pendingIds();
      expect([ids.includes(first.id), ids.includes(second.id)]).toEqual([false, true]);
      expect(await row(first.id)).toEqual({ revoked_at: expect.any(Date), accepted_at: null });
      const [audited] = await auditOf('membership.invitation_revoked', first.id);
      expect(audited).toMatchObject({ actor_user_id: scope.userIds.owner, metadata: { email: 'twice.invited@opsdeck.test', role: 'operator', replaced_by: second.id } });

      const accepted = await accept(second.url, await openInvite(second.url), 'Twice');
      expect(accepted.status).toBe(303);
      const [member] = await t.db.query<{ role: string }>(
        `select m.role from memberships m join users u on u.id = m.user_id where lower(u.email) = 'twice.invited@opsdeck.test'`,
      );
      expect(member.role).toBe('readonly');
    });

    it('two invitations of one email sent at once leave exactly one live link', async () => {
      for (let round = 0; round < 3; round++) {
        const email = `at.once.${round}@opsdeck.test`;
        const [a, b] = await Promise.all([
          http().post(`${W}/members`).set(api.auth('owner')).send({ email, role: 'readonly' }),
          http().post(`${W}/members`).set(api.auth('owner')).send({ email, role: 'operator' }),
        ]);
        expect([a.status, b.status]).toEqual([201, 201]);
        const live = await t.db.query<{ id: string }>(
          `select id from membership_invitations where lower(email) = $1 and revoked_at is null and accepted_at is null`,
          [email],
        );
        expect(live).toHaveLength(1);
        const statuses = await Promise.all([a, b].map(async (res) => (await http().get(res.body.invitation_url)).status));
        expect(statuses.sort()).toEqual([200, 404]);
      }
    });
  });

  describe('on the members page', () => {
    let session: string;
    let csrf: string;
    const page = (path = '/w/contoso-msp/members') => http().get(path).set('Cookie', session).set('Accept', 'text/html');
    const post = (path: string, fields: Record<string, string> = { _csrf: csrf }) =>
      http().post(path).set('Cookie', session).set('Accept', 'text/html').type('form').send(fields);

    beforeAll(async () => {
      session = await signInAs(t, 'owner@opsdeck.test', scope.password);
      csrf = hiddenField((await page().expect(200)).text, '_csrf')!;
    });

    it('each pending invitation has a Revoke button; it needs CSRF, revokes, and comes back with a flash', async () => {
      const invited = await invite('paged.revoke@opsdeck.test');
      const form = await openInvite(invited.url);
      const action = `/w/contoso-msp/members/invitations/${invited.id}/revoke`;
      const listed = await page().expect(200);
      const rowHtml = new RegExp(`<tr data-invitation-id="${invited.id}">[\\s\\S]*?</tr>`).exec(listed.text)![0];
      expect(rowHtml).toContain(`<form method="post" action="${action}"`);
      expect(rowHtml).toContain(`name="_csrf" value="${csrf}"`);
      expect(rowHtml).toContain('aria-label="Revoke the invitation of paged.revoke@opsdeck.test">Revoke</button>');

      expect((await post(action, {})).status).toBe(403);
      expect((await post(action, { _csrf: 'x'.repeat(43) })).status).toBe(403);
      await http().get(invited.url).expect(200);

      const revoked = await post(action);
      expect([revoked.status, revoked.headers.location]).toEqual([303, '/w/contoso-msp/members?saved=revoked']);
      const after = await page('/w/contoso-msp/members?saved=revoked').expect(200);
      expect(after.text).toContain('Invitation revoked. Its link no longer works.');
      expect(after.text).not.toContain(`data-invitation-id="${invited.id}"`);
      await expectInvalidLink(invited.url, form);
      const [audited] = await auditOf('membership.invitation_revoked', invited.id);
      expect(audited.actor_user_id).toBe(scope.userIds.owner);

      // Again (revoked already), or an unknown id: the not-found page.
      expect((await post(action)).status).toBe(404);
      expect((await post('/w/contoso-msp/members/invitations/not-a-uuid/revoke')).status).toBe(404);
    });

    it('refuses members without members.manage (403) and outsiders (404)', async () => {
      const invited = await invite('paged.kept@opsdeck.test');
      const action = `/w/contoso-msp/members/invitations/${invited.id}/revoke`;
      for (const [email, status] of [['viewer@opsdeck.test', 403], ['outsider@opsdeck.test', 404]] as const) {
        const other = await signInAs(t, email, scope.password);
        const [row] = await t.db.query<{ csrf_token: string }>(
          `select s.csrf_token from sessions s join users u on u.id = s.user_id where u.email = $1 order by s.created_at desc limit 1`,
          [email],
        );
        const res = await http().post(action).set('Cookie', other).set('Accept', 'text/html').type('form').send({ _csrf: row.csrf_token });
        expect([email, res.status]).toEqual([email, status]);
      }
      await http().get(invited.url).expect(200);
    });

    it('a refusal (an invitation wider than the caller) comes back beside its row', async () => {
      const limited = await identity().createUser({ email: 'limited.page@opsdeck.test', password: PASSWORD, displayName: 'Limited Page' });
      await identity().setMembership(
        { email: limited.email, workspaceSlug: 'contoso-msp', role: 'owner', environmentSlugs: ['contoso-hq'] },
        { userId: null, label: 'test' },
      );
      const wide = await invite('paged.wide@opsdeck.test', { environments: 'all' });
      const limitedSession = await signInAs(t, limited.email, PASSWORD);
      const limitedPage = await http().get('/w/contoso-msp/members').set('Cookie', limitedSession).set('Accept', 'text/html').expect(200);
      const res = await http()
        .post(`/w/contoso-msp/members/invitations/${wide.id}/revoke`)
        .set('Cookie', limitedSession)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: hiddenField(limitedPage.text, '_csrf')! });
      expect(res.status).toBe(403);
      const rowHtml = new RegExp(`<tr data-invitation-id="${wide.id}">[\\s\\S]*?</tr>`).exec(res.text)![0];
      expect(rowHtml).toContain('<p class="form-error" role="alert">Your membership is limited to some environments');
      await http().get(wide.url).expect(200);
      await identity().setMembership({ email: limited.email, workspaceSlug: 'contoso-msp', role: 'readonly' }, { userId: null, label: 'test' });
    });
  });
});
