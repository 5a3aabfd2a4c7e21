import request from 'supertest';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { insertApiToken, ApiPersonas, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { hiddenField, signInAs } from '../support/browser-session';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Environment administration (issue 19) over HTTP against real PostgreSQL and Redis: create
 * (slug rules, duplicate), rename and provider settings, archive (starts refused from the API and
 * the start form with 409 environment_archived, history still readable, the dashboard's forms
 * disabled saying why) and restore (starts work again); who may do it (owner and manager; not a
 * limited member, an operator or a viewer: 403; an outsider: the 404 of an unknown workspace);
 * the settings page with CSRF, errors beside fields and the Archived badge; the audit trail.
 */
describe('environment administration', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  /** A manager over every environment, and one limited to contoso-hq. */
  let manager: Record<string, string>;
  let limitedManager: Record<string, string>;
  const http = () => request(t.app.getHttpServer());
  const base = '/api/v1/workspaces/contoso-msp/environments';
  const owner = () => api.auth('owner');

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
    const identity = t.get<IdentityAdminService>(IdentityAdminService);
    const actor = { userId: null, label: 'test' };
    for (const [email, environmentSlugs] of [
      ['manager@opsdeck.test', null],
      ['limited-manager@opsdeck.test', ['contoso-hq']],
    ] as const) {
      const { user } = await identity.ensureUser({ email, password: scope.password, displayName: email });
      await identity.setMembership({ email, workspaceSlug: 'contoso-msp', role: 'manager', environmentSlugs: environmentSlugs ? [...environmentSlugs] : null }, actor);
      const token = await insertApiToken(t.db, user.id, 'e2e');
      if (environmentSlugs) limitedManager = { Authorization: `Bearer ${token}` };
      else manager = { Authorization: `Bearer ${token}` };
    }
  });
  afterAll(() => t?.close());

  const create = (auth: Record<string, string>, body: unknown, path = base) => http().post(path).set(auth).send(body as object);
  const start = (auth: Record<string, string>, env: string) =>
    http().post(`${base}/${env}/operations`).set(auth).send({ type: 'inventory.sync' });

  describe('the list', () => {
    it('carries archived and the provider (settings without secrets) for every entitled environment', async () => {
      const res = await http().get(base).set(owner()).expect(200);
      expect(res.body.items.slice(0, 3)).toEqual([
        { id: scope.environmentIds['contoso-hq'], slug: 'contoso-hq', name: expect.any(String), archived: false, provider: { kind: 'fixture' } },
        { id: scope.environmentIds.fabrikam, slug: 'fabrikam', name: expect.any(String), archived: false, provider: { kind: 'fixture' } },
        { id: scope.environmentIds.northwind, slug: 'northwind', name: expect.any(String), archived: false, provider: { kind: 'fixture' } },
      ]);
      const limited = await http().get(base).set(api.auth('operator')).expect(200);
      expect(limited.body.items.map((e: { slug: string }) => e.slug)).toEqual(['contoso-hq', 'fabrikam']);
    });
  });

  describe('create', () => {
    it('creates with 201, audited with its actor, and the new environment is listed at once', async () => {
      const res = await create(owner(), { slug: 'adatum', display_name: '  Adatum  ', provider: { kind: 'fixture' } }).expect(201);
      expect(res.body).toEqual({ id: expect.any(String), slug: 'adatum', name: 'Adatum', archived: false, provider: { kind: 'fixture' } });
      const list = await http().get(base).set(owner()).expect(200);
      expect(list.body.items).toContainEqual(res.body);
      const [event] = await t.db.query<{ actor_user_id: string; environment_id: string; metadata: Record<string, unknown> }>(
        `select actor_user_id, environment_id, metadata from audit_events where action = 'environment.created' and subject_id = $1`,
        [res.body.id],
      );
      expect(event).toEqual({
        actor_user_id: scope.userIds.owner,
        environment_id: res.body.id,
        metadata: { slug: 'adatum', display_name: 'Adatum', provider: { kind: 'fixture' } },
      });
      // Its dashboard works, with enabled start forms.
      const cookie = await signInAs(t, 'owner@opsdeck.test', scope.password);
      const page = await http().get('/w/contoso-msp/e/adatum').set('Cookie', cookie).expect(200);
      expect(page.text).not.toContain('data-badge="archived"');
    });

    it.each([
      ['uppercase', 'Adatum-2'],
      ['underscore', 'adatum_2'],
      ['leading hyphen', '-adatum'],
      ['trailing hyphen', 'adatum-'],
      ['too long', 'a'.repeat(64)],
      ['empty', ''],
      ['a space', 'ada tum'],
    ])('refuses a slug with %s: 400 invalid_slug', async (_why, slug) => {
      const res = await create(owner(), { slug, display_name: 'X', provider: { kind: 'fixture' } }).expect(400);
      expect(res.body.error.code).toBe('invalid_slug');
    });

    it('refuses a duplicate slug with 409 environment_exists, and bad names and providers with 400', async () => {
      const dup = await create(owner(), { slug: 'contoso-hq', display_name: 'Again', provider: { kind: 'fixture' } }).expect(409);
      expect(dup.body.error).toEqual({ code: 'environment_exists', message: 'This workspace already has an environment "contoso-hq".' });
      const blank = await create(owner(), { slug: 'blank-name', display_name: '   ', provider: { kind: 'fixture' } }).expect(400);
      expect(blank.body.error.code).toBe('invalid_display_name');
      const unknown = await create(owner(), { slug: 'graph-env', display_name: 'G', provider: { kind: 'graph' } }).expect(400);
      expect(unknown.body.error).toMatchObject({ code: 'invalid_provider', message: 'Unknown provider kind "graph". Known kinds: fixture.' });
      const settings = await create(owner(), { slug: 'fixture-env', display_name: 'F', provider: { kind: 'fixture', secret: 'x' } }).expect(400);
      expect(settings.body.error.code).toBe('invalid_provider');
      const missing = await create(owner(), { slug: 'no-provider', display_name: 'N' }).expect(400);
      expect(missing.body.error.code).toBe('bad_request');
      const extra = await create(owner(), { slug: 'extra', display_name: 'E', provider: { kind: 'fixture' }, archived: true }).expect(400);
      expect(extra.body.error.code).toBe('bad_request');
    });

    it('lets a manager create; refuses a limited manager, an operator and a viewer (403); an outsider gets the 404 of an unknown workspace', async () => {
      await create(manager, { slug: 'by-manager', display_name: 'By manager', provider: { kind: 'fixture' } }).expect(201);
      const body = { slug: 'refused', display_name: 'Refused', provider: { kind: 'fixture' } };
      for (const auth of [limitedManager, api.auth('operator'), api.auth('viewer')]) {
        const res = await create(auth, body).expect(403);
        expect(res.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('"environments.manage"') });
      }
      const outsider = await create(api.auth('outsider'), body).expect(404);
      const unknown = await create(owner(), body, '/api/v1/workspaces/no-such-workspace/environments').expect(404);
      expect(outsider.body).toEqual(NOT_FOUND_BODY);
      expect(unknown.body).toEqual(outsider.body);
      const [{ count }] = await t.db.query<{ count: string }>(`select count(*) from managed_environments where slug = 'refused'`);
      expect(count).toBe('0');
    });
  });

  describe('update', () => {
    it('renames (the slug stays) and re-validates the provider, audited with the change', async () => {
      await create(owner(), { slug: 'litware', display_name: 'Litware', provider: { kind: 'fixture' } }).expect(201);
      const res = await http().patch(`${base}/litware`).set(manager).send({ display_name: 'Litware Europe' }).expect(200);
      expect(res.body).toMatchObject({ slug: 'litware', name: 'Litware Europe', archived: false, provider: { kind: 'fixture' } });
      await http().patch(`${base}/litware`).set(owner()).send({ provider: { kind: 'fixture' } }).expect(200);
      const bad = await http().patch(`${base}/litware`).set(owner()).send({ provider: { kind: 'nope' } }).expect(400);
      expect(bad.body.error.code).toBe('invalid_provider');
      const slug = await http().patch(`${base}/litware`).set(owner()).send({ slug: 'renamed' }).expect(400);
      expect(slug.body.error.code).toBe('bad_request');
      const [event] = await t.db.query<{ actor_user_id: string; metadata: Record<string, unknown> }>(
        `select actor_user_id, metadata from audit_events where action = 'environment.updated' order by id limit 1`,
      );
      expect(event.metadata).toEqual({ slug: 'litware', display_name: { from: 'Litware', to: 'Litware Europe' } });
    });

    it('answers 403 in scope without environments.manage and the same 404 for hidden and unknown environments', async () => {
      await http().patch(`${base}/contoso-hq`).set(api.auth('operator')).send({ display_name: 'X' }).expect(403);
      await http().patch(`${base}/contoso-hq`).set(api.auth('viewer')).send({ display_name: 'X' }).expect(403);
      const hidden = await http().patch(`${base}/northwind`).set(limitedManager).send({ display_name: 'X' }).expect(404);
      const unknown = await http().patch(`${base}/no-such-env`).set(limitedManager).send({ display_name: 'X' }).expect(404);
      expect(hidden.body).toEqual(unknown.body);
      const outsider = await http().patch(`${base}/contoso-hq`).set(api.auth('outsider')).send({ display_name: 'X' }).expect(404);
      expect(outsider.body).toEqual(NOT_FOUND_BODY);
    });
  });

  describe('archive and restore', () => {
    it('archives: starts refused 409 from API and page, history readable, forms disabled saying why; restore: starts work again', async () => {
      await create(owner(), { slug: 'proseware', display_name: 'Proseware', provider: { kind: 'fixture' } }).expect(201);
      const before = await start(owner(), 'proseware').expect(202);
      const runId = before.body.run.id;

      const archived = await http().post(`${base}/proseware/archive`).set(manager).expect(200);
      expect(archived.body).toMatchObject({ slug: 'proseware', archived: true, provider: { kind: 'fixture' } });
      const again = await http().post(`${base}/proseware/archive`).set(owner()).expect(200);
      expect(again.body.archived).toBe(true);
      const listed = await http().get(base).set(owner()).expect(200);
      expect(listed.body.items.find((e: { slug: string }) => e.slug === 'proseware').archived).toBe(true);

      // API start: 409 environment_archived, whatever the type; nothing is queued.
      const refused = await start(owner(), 'proseware').expect(409);
      expect(refused.body.error).toEqual({
        code: 'environment_archived',
        message: 'Environment "proseware" is archived: it accepts no new runs. Restore it to start runs again.',
      });
      // Out of scope still answers 404 before the archive is told.
      await start(api.auth('outsider'), 'proseware').expect(404);

      // The start form page: the same 409.
      const cookie = await signInAs(t, 'owner@opsdeck.test', scope.password);
      const dashboard = await http().get('/w/contoso-msp/e/proseware').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
      expect(dashboard.text).toContain('data-badge="archived"');
      expect(dashboard.text).toContain('This environment is archived: it accepts no new runs.');
      expect(dashboard.text).not.toContain('data-enabled="true"');
      const csrf = hiddenField(dashboard.text, '_csrf')!;
      const form = await http()
        .post('/w/contoso-msp/e/proseware/operations')
        .set('Cookie', cookie)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: csrf, type: 'inventory.sync' });
      expect(form.status).toBe(409);
      expect(form.text).toContain('is archived');
      const [{ count }] = await t.db.query<{ count: string }>(
        `select count(*) from operation_runs where environment_id = (select id from managed_environments where slug = 'proseware')`,
      );
      expect(count).toBe('1');
      const [denied] = await t.db.query<{ metadata: Record<string, unknown> }>(
        `select metadata from audit_events where action = 'operation.start_denied' and metadata->>'reason' = 'archived' limit 1`,
      );
      expect(denied.metadata).toMatchObject({ type: 'inventory.sync', reason: 'archived' });

      // History stays readable: the run (API and page), the hub, the overview with its badge.
      await http().get(`/api/v1/operations/${runId}`).set(owner()).expect(200);
      await http().get(`/operations/${runId}`).set('Cookie', cookie).set('Accept', 'text/html').expect(200);
      const hub = await http().get('/api/v1/workspaces/contoso-msp/operations?environment=proseware').set(owner()).expect(200);
      expect(hub.body.items.map((r: { id: string }) => r.id)).toEqual([runId]);
      const overview = await http().get('/w/contoso-msp').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
      expect(overview.text).toMatch(/<li data-environment="proseware"><a href="\/w\/contoso-msp\/e\/proseware">Proseware<\/a> <span class="badge tone-neutral" data-badge="archived">Archived<\/span>/);

      // Restore: starts work again.
      const restored = await http().post(`${base}/proseware/restore`).set(owner()).expect(200);
      expect(restored.body.archived).toBe(false);
      const after = await start(owner(), 'proseware');
      expect([200, 202]).toContain(after.status);
      const reopened = await http().get('/w/contoso-msp/e/proseware').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
      expect(reopened.text).not.toContain('data-badge="archived"');

      const events = await t.db.query<{ action: string; actor_user_id: string }>(
        `select action, actor_user_id from audit_events where action in ('environment.archived', 'environment.restored') order by id`,
      );
      expect(events).toEqual([
        { action: 'environment.archived', actor_user_id: expect.any(String) },
        { action: 'environment.archived', actor_user_id: scope.userIds.owner },
        { action: 'environment.restored', actor_user_id: scope.userIds.owner },
      ]);
    });

    it('refuses archive and restore without environments.manage (403) and outside scope (404, identical to unknown)', async () => {
      for (const action of ['archive', 'restore']) {
        await http().post(`${base}/contoso-hq/${action}`).set(api.auth('operator')).expect(403);
        await http().post(`${base}/contoso-hq/${action}`).set(api.auth('viewer')).expect(403);
        const hidden = await http().post(`${base}/northwind/${action}`).set(api.auth('operator')).expect(404);
        const unknown = await http().post(`${base}/nope/${action}`).set(owner()).expect(404);
        const outsider = await http().post(`${base}/contoso-hq/${action}`).set(api.auth('outsider')).expect(404);
        expect(hidden.body).toEqual(NOT_FOUND_BODY);
        expect(unknown.body).toEqual(NOT_FOUND_BODY);
        expect(outsider.body).toEqual(NOT_FOUND_BODY);
      }
      const [{ archived }] = await t.db.query<{ archived: boolean }>(
        `select archived_at is not null as archived from managed_environments where slug = 'contoso-hq'`,
      );
      expect(archived).toBe(false);
    });
  });

  describe('the settings page', () => {
    const page = (cookie: string, path = '/w/contoso-msp/settings/environments') => http().get(path).set('Cookie', cookie).set('Accept', 'text/html');
    const post = (cookie: string, path: string, fields: Record<string, string>) =>
      http().post(path).set('Cookie', cookie).set('Accept', 'text/html').type('form').send(fields);
    const fieldError = (html: string, field: string) => new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1] ?? null;

    it('is in the navigation of those holding environments.manage, and refused to others', async () => {
      const ownerCookie = await signInAs(t, 'owner@opsdeck.test', scope.password);
      const overview = await page(ownerCookie, '/w/contoso-msp').expect(200);
      expect(overview.text).toContain('href="/w/contoso-msp/settings/environments"');
      const viewer = await signInAs(t, 'viewer@opsdeck.test', scope.password);
      const viewerOverview = await page(viewer, '/w/contoso-msp').expect(200);
      expect(viewerOverview.text).not.toContain('/settings/environments');
      await page(viewer).expect(403);
      const outsider = await signInAs(t, 'outsider@opsdeck.test', scope.password);
      const hidden = await page(outsider);
      const unknown = await page(outsider, '/w/no-such-workspace/settings/environments');
      expect([hidden.status, unknown.status]).toEqual([404, 404]);
      expect(hidden.text).toEqual(unknown.text);
    });

    it('creates, renames, archives and restores through CSRF forms, with errors beside fields', async () => {
      const cookie = await signInAs(t, 'owner@opsdeck.test', scope.password);
      const first = await page(cookie).expect(200);
      const csrf = hiddenField(first.text, '_csrf')!;
      const path = '/w/contoso-msp/settings/environments';

      // No CSRF token: refused, nothing created.
      const forged = await post(cookie, path, { slug: 'forged', display_name: 'Forged', provider_kind: 'fixture' });
      expect(forged.status).toBe(403);

      const bad = await post(cookie, path, { _csrf: csrf, slug: 'Not Valid', display_name: 'X', provider_kind: 'fixture' }).expect(400);
      expect(fieldError(bad.text, 'slug')).toContain('1 to 63 lowercase letters');
      expect(bad.text).toContain('value="Not Valid"');
      const dup = await post(cookie, path, { _csrf: csrf, slug: 'contoso-hq', display_name: 'X', provider_kind: 'fixture' }).expect(400);
      expect(fieldError(dup.text, 'slug')).toBe('This workspace already has an environment &quot;contoso-hq&quot;.');
      const noName = await post(cookie, path, { _csrf: csrf, slug: 'page-env', display_name: '', provider_kind: 'fixture' }).expect(400);
      expect(fieldError(noName.text, 'display_name')).toBe('Enter a display name.');

      const created = await post(cookie, path, { _csrf: csrf, slug: 'page-env', display_name: 'Page env', provider_kind: 'fixture' }).expect(303);
      expect(created.headers.location).toBe(`${path}?saved=created`);
      const listed = await page(cookie, created.headers.location).expect(200);
      expect(listed.text).toContain('Environment created.');
      expect(listed.text).toContain('data-environment="page-env"');

      const renamed = await post(cookie, `${path}/page-env`, { _csrf: csrf, display_name: 'Page environment' }).expect(303);
      expect(renamed.headers.location).toBe(`${path}?saved=renamed`);
      const blankRename = await post(cookie, `${path}/page-env`, { _csrf: csrf, display_name: '' }).expect(400);
      expect(fieldError(blankRename.text, 'env-page-env-name')).toBe('Enter a display name.');

      await post(cookie, `${path}/page-env/archive`, { _csrf: csrf }).expect(303);
      const archivedPage = await page(cookie).expect(200);
      expect(archivedPage.text).toMatch(/data-environment="page-env">[\s\S]*?data-badge="archived">Archived<\/span>[\s\S]*?Restore page-env/);
      await post(cookie, `${path}/page-env/restore`, { _csrf: csrf }).expect(303);
      const env = await http().get(base).set(owner()).expect(200);
      expect(env.body.items.find((e: { slug: string }) => e.slug === 'page-env')).toMatchObject({ name: 'Page environment', archived: false });
      await post(cookie, `${path}/no-such-env/archive`, { _csrf: csrf }).expect(404);
    });

    it('shows a limited manager the list without the create form, and refuses a forged create with 403', async () => {
      const cookie = await signInAs(t, 'limited-manager@opsdeck.test', scope.password);
      const res = await page(cookie).expect(200);
      expect(res.text).toContain('data-testid="create-environment-refused"');
      expect(res.text).not.toContain('data-environment="northwind"');
      const csrf = hiddenField(res.text, '_csrf')!;
      await post(cookie, '/w/contoso-msp/settings/environments', { _csrf: csrf, slug: 'sneaky', display_name: 'S', provider_kind: 'fixture' }).expect(403);
    });
  });
});
