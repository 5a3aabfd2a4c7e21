import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { firstRunAnnouncement } from '../../src/modules/rbac/adapters/boot/first-run-announcement';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { insertApiToken, NOT_FOUND_BODY } from '../support/api-personas';
import { cookiePair, hiddenField, signInAs } from '../support/browser-session';
import { runCli } from '../support/cli-entry';
import { validateHtml } from '../support/html-validity';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';

/**
 * First run and workspaces (issue 19) against real PostgreSQL and Redis, on a database that starts
 * with no users (no demo seed): the boot line with its one-time setup link (only the token's sha256
 * stored; a new boot replaces it), the `/setup` page working once and never again (used, reused,
 * wrong and stale tokens all 404), two setups at once making one administrator, `admin:create` on
 * an empty database and refused afterwards, then workspaces created by the platform administrator
 * and renamed by owners (403/404/409/400), from the API and the pages, each audited with its actor.
 */
jest.setTimeout(120_000);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const LINE = /^No users yet: open http:\/\/127\.0\.0\.1:3999\/setup\?token=([A-Za-z0-9_-]{43}) to create the first administrator and workspace/;
const ADMIN = { email: 'Admin@Example.test', display_name: 'Ada Admin', password: 'a long admin password' };
/** A field's error as the reader sees it (HTML entities decoded). */
const fieldError = (html: string, field: string) =>
  new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1]?.replace(/&quot;/g, '"').replace(/&#x27;/g, "'") ?? null;

describe('first run: the one-time setup page', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    process.env.BCRYPT_COST ??= '4';
    t = await startTestApp({ roles: ['web'] });
  });
  afterAll(() => t?.close());

  const announce = () => firstRunAnnouncement(t.app, 'http://127.0.0.1:3999/');
  const tokenOf = (line: string | null) => LINE.exec(line ?? '')?.[1] ?? null;

  /** The setup form opened with `token`: its double-submit CSRF cookie and field. */
  async function openForm(token: string): Promise<{ cookie: string; csrf: string; html: string }> {
    const res = await http().get(`/setup?token=${token}`).set('Accept', 'text/html').expect(200);
    return { cookie: cookiePair(res, 'opsdeck_login_csrf'), csrf: hiddenField(res.text, '_csrf')!, html: res.text };
  }
  const submit = (form: { cookie: string; csrf: string }, fields: Record<string, string>) =>
    http().post('/setup').set('Cookie', form.cookie).set('Accept', 'text/html').type('form').send({ _csrf: form.csrf, ...fields });
  const setupFields = (token: string, overrides: Record<string, string> = {}) => ({
    token,
    ...ADMIN,
    confirm_password: ADMIN.password,
    workspace_slug: 'acme-msp',
    workspace_name: 'Acme MSP',
    ...overrides,
  });

  let token: string;

  it('a boot without users prints one line with a setup link; only the sha256 of its token is stored', async () => {
    const line = await announce();
    expect(line).toMatch(LINE);
    expect(line!.split('\n')).toHaveLength(1);
    token = tokenOf(line)!;
    expect(await t.db.query('select token_hash from first_run_tokens')).toEqual([{ token_hash: sha256(token) }]);
  });

  it('a second boot replaces the link: the earlier token is a 404, the new one opens a valid form', async () => {
    const earlier = token;
    token = tokenOf(await announce())!;
    expect(token).not.toBe(earlier);
    const stale = await http().get(`/setup?token=${earlier}`).set('Accept', 'text/html');
    expect(stale.status).toBe(404);
    const { html } = await openForm(token);
    expect(html).toContain('data-testid="setup-form"');
    expect(await validateHtml(html)).toEqual([]);
  });

  it('without a token, with a wrong or malformed one: the same 404 as an unknown page', async () => {
    for (const url of ['/setup', `/setup?token=${'A'.repeat(43)}`, '/setup?token=short', '/setup?token[]=x']) {
      const res = await http().get(url);
      expect({ url, status: res.status, body: res.body }).toEqual({ url, status: 404, body: NOT_FOUND_BODY });
    }
  });

  it('refuses a post without the form cookie (403), and puts each refusal beside its field (400), creating nothing', async () => {
    const form = await openForm(token);
    const forged = await http().post('/setup').set('Accept', 'text/html').type('form').send({ _csrf: form.csrf, ...setupFields(token) });
    expect(forged.status).toBe(403);
    const weak = await submit(form, setupFields(token, { password: 'short', confirm_password: 'short' }));
    expect([weak.status, fieldError(weak.text, 'password')]).toEqual([400, 'Passwords must be at least 10 characters long.']);
    const slug = await submit(form, setupFields(token, { workspace_slug: 'Not A Slug' }));
    expect(slug.status).toBe(400);
    expect(fieldError(slug.text, 'workspace_slug')).toMatch(/^Workspace slugs are 1 to 63 characters/);
    const mismatch = await submit(form, setupFields(token, { confirm_password: 'something else entirely' }));
    expect([mismatch.status, fieldError(mismatch.text, 'confirm_password')]).toEqual([400, 'The two passwords do not match.']);
    const email = await submit(form, setupFields(token, { email: 'not-an-email' }));
    expect([email.status, fieldError(email.text, 'email')]).toEqual([400, '"not-an-email" is not a valid email address.']);
    expect(await validateHtml(email.text)).toEqual([]);
    expect(await t.db.query('select count(*)::int as n from users')).toEqual([{ n: 0 }]);
    // A wrong token in the form is the 404 of the page itself.
    const wrong = await submit(form, setupFields('B'.repeat(43)));
    expect(wrong.status).toBe(404);
  });

  it('two setups at once make exactly one administrator; the other answers 404', async () => {
    const [a, b] = await Promise.all([openForm(token), openForm(token)]);
    const results = await Promise.all([
      submit(a, setupFields(token)),
      submit(b, setupFields(token, { email: 'other@example.test', workspace_slug: 'other-msp', workspace_name: 'Other' })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 404]);
    const winner = results.find((r) => r.status === 303)!;
    const users = await t.db.query<{ email: string; is_platform_admin: boolean }>('select email, is_platform_admin from users');
    expect(users).toHaveLength(1);
    expect(users[0].is_platform_admin).toBe(true);
    const slug = users[0].email === ADMIN.email ? 'acme-msp' : 'other-msp';
    expect(winner.headers.location).toBe(`/login?next=${encodeURIComponent(`/w/${slug}`)}`);
    expect(await t.db.query('select w.slug, m.role, m.all_environments from memberships m join workspaces w on w.id = m.workspace_id')).toEqual([
      { slug, role: 'owner', all_environments: true },
    ]);
    expect(await t.db.query('select count(*)::int as n from workspaces')).toEqual([{ n: 1 }]);
    expect(await t.db.query('select count(*)::int as n from first_run_tokens')).toEqual([{ n: 0 }]);
    const audit = await t.db.query<{ action: string; actor_label: string }>(
      `select action, actor_label from audit_events where action in ('first_run.completed', 'workspace.created') order by id`,
    );
    expect(audit).toEqual([
      { action: 'first_run.completed', actor_label: users[0].email },
      { action: 'workspace.created', actor_label: users[0].email },
    ]);
    // Normalise for the rest of the file: the admin is whoever won.
    ADMIN.email = users[0].email;
  });

  it('never again: the used token, any token and a new boot answer 404 / print nothing', async () => {
    for (const url of [`/setup?token=${token}`, `/setup?token=${'C'.repeat(43)}`]) {
      expect((await http().get(url)).status).toBe(404);
    }
    const reused = await http().post('/setup').type('form').send(setupFields(token, { email: 'late@example.test' }));
    expect(reused.status).toBe(404);
    expect(await announce()).toBeNull();
    expect(await t.db.query('select count(*)::int as n from first_run_tokens')).toEqual([{ n: 0 }]);
    expect(await t.db.query('select count(*)::int as n from users')).toEqual([{ n: 1 }]);
  });

  describe('then workspaces', () => {
    let adminId: string;
    let adminToken: string;
    let memberToken: string;
    let outsiderToken: string;
    let firstSlug: string;
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

    beforeAll(async () => {
      const [admin] = await t.db.query<{ id: string }>('select id from users');
      adminId = admin.id;
      adminToken = await insertApiToken(t.db, adminId, 'admin');
      firstSlug = (await t.db.query<{ slug: string }>('select slug from workspaces'))[0].slug;
      const identity = t.get<IdentityAdminService>(IdentityAdminService);
      const member = await identity.createUser({ email: 'member@example.test', password: 'a long member password', displayName: 'Mo Member' });
      await identity.setMembership({ email: member.email, workspaceSlug: firstSlug, role: 'manager' }, { userId: null, label: 'test' });
      memberToken = await insertApiToken(t.db, member.id, 'member');
      const outsider = await identity.createUser({ email: 'outsider@example.test', password: 'a long outsider password', displayName: 'Otto' });
      outsiderToken = await insertApiToken(t.db, outsider.id, 'outsider');
    });

    it('GET /api/v1/me tells a platform administrator from others', async () => {
      expect((await http().get('/api/v1/me').set(bearer(adminToken)).expect(200)).body).toMatchObject({ platform_admin: true });
      expect((await http().get('/api/v1/me').set(bearer(memberToken)).expect(200)).body).toMatchObject({ platform_admin: false });
    });

    it('POST /api/v1/workspaces: 201 for the platform administrator, who becomes owner; audited', async () => {
      const res = await http().post('/api/v1/workspaces').set(bearer(adminToken)).send({ slug: 'contoso-msp', name: '  Contoso MSP ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), slug: 'contoso-msp', name: 'Contoso MSP' });
      const listed = await http().get('/api/v1/workspaces').set(bearer(adminToken)).expect(200);
      expect(listed.body.items.find((w: { slug: string }) => w.slug === 'contoso-msp')).toMatchObject({ role: 'owner', all_environments: true });
      const [audit] = await t.db.query(`select actor_user_id, workspace_id, metadata from audit_events where action = 'workspace.created' and subject_id = $1`, [res.body.id]);
      expect(audit).toEqual({ actor_user_id: adminId, workspace_id: res.body.id, metadata: { slug: 'contoso-msp', name: 'Contoso MSP' } });
    });

    it('refuses others (403), a taken slug (409), bad slugs and names (400)', async () => {
      const post = (token: string, body: object) => http().post('/api/v1/workspaces').set(bearer(token)).send(body);
      for (const token of [memberToken, outsiderToken]) {
        const res = await post(token, { slug: 'mine', name: 'Mine' });
        expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
        expect(res.body.error.message).toBe('Only platform administrators can create workspaces.');
      }
      const taken = await post(adminToken, { slug: 'contoso-msp', name: 'Again' });
      expect({ status: taken.status, code: taken.body.error.code }).toEqual({ status: 409, code: 'workspace_slug_taken' });
      for (const slug of ['Contoso', '-x', 'x-', 'a_b', 'a'.repeat(64), 'ü']) {
        const res = await post(adminToken, { slug, name: 'X' });
        expect({ slug, status: res.status, code: res.body.error.code }).toEqual({ slug, status: 400, code: 'invalid_workspace_slug' });
      }
      for (const name of ['', '   ', 'x'.repeat(121)]) {
        const res = await post(adminToken, { slug: 'fine-slug', name });
        expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'invalid_workspace_name' });
      }
      expect((await post(adminToken, { slug: 'x' })).status).toBe(400);
      expect(await t.db.query(`select count(*)::int as n from workspaces where slug in ('mine', 'fine-slug')`)).toEqual([{ n: 0 }]);
    });

    it('PATCH renames for owners; the next request of every member sees the new name; slug and URLs stay', async () => {
      // Warm the grants the instance holds for the member, then rename.
      const before = await http().get('/api/v1/workspaces').set(bearer(memberToken)).expect(200);
      expect(before.body.items.map((w: { slug: string }) => w.slug)).toEqual([firstSlug]);
      const res = await http().patch(`/api/v1/workspaces/${firstSlug}`).set(bearer(adminToken)).send({ name: 'Renamed MSP' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ slug: firstSlug, name: 'Renamed MSP' });
      const after = await http().get('/api/v1/workspaces').set(bearer(memberToken)).expect(200);
      expect(after.body.items).toEqual([expect.objectContaining({ slug: firstSlug, name: 'Renamed MSP' })]);
      await http().get(`/api/v1/workspaces/${firstSlug}/environments`).set(bearer(memberToken)).expect(200);
      const [audit] = await t.db.query(`select actor_user_id, metadata from audit_events where action = 'workspace.renamed'`);
      expect(audit).toEqual({ actor_user_id: adminId, metadata: { slug: firstSlug, name: 'Renamed MSP', previous_name: expect.any(String) } });
    });

    it('PATCH: a member without workspace.manage 403, a non-member the 404 of an unknown workspace, a bad name 400', async () => {
      const patch = (token: string, slug: string, body: object) => http().patch(`/api/v1/workspaces/${slug}`).set(bearer(token)).send(body);
      const member = await patch(memberToken, firstSlug, { name: 'Mine now' });
      expect({ status: member.status, code: member.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
      const outsider = await patch(outsiderToken, firstSlug, { name: 'Mine now' });
      const unknown = await patch(outsiderToken, 'no-such-msp', { name: 'Mine now' });
      expect({ status: outsider.status, body: outsider.body }).toEqual({ status: 404, body: NOT_FOUND_BODY });
      expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: NOT_FOUND_BODY });
      const blank = await patch(adminToken, firstSlug, { name: '  ' });
      expect({ status: blank.status, code: blank.body.error.code }).toEqual({ status: 400, code: 'invalid_workspace_name' });
      const extra = await patch(adminToken, firstSlug, { name: 'x', slug: 'new-slug' });
      expect(extra.status).toBe(400);
      expect(await t.db.query('select name from workspaces where slug = $1', [firstSlug])).toEqual([{ name: 'Renamed MSP' }]);
    });

    describe('pages', () => {
      let session: string;
      let csrf: string;
      const page = (url: string) => http().get(url).set('Cookie', session).set('Accept', 'text/html');
      const post = (url: string, fields: Record<string, string>) =>
        http().post(url).set('Cookie', session).set('Accept', 'text/html').type('form').send({ _csrf: csrf, ...fields });

      beforeAll(async () => {
        session = await signInAs(t, ADMIN.email, ADMIN.password);
        const [row] = await t.db.query<{ csrf_token: string }>('select csrf_token from sessions where user_id = $1 order by created_at desc limit 1', [adminId]);
        csrf = row.csrf_token;
      });

      it('the home page offers the platform administrator a "New workspace" form; errors go beside fields', async () => {
        const home = await page('/').expect(200);
        expect(home.text).toContain('data-testid="new-workspace-form"');
        expect(await validateHtml(home.text)).toEqual([]);
        const taken = await post('/workspaces', { slug: 'contoso-msp', name: 'Dup' });
        expect([taken.status, fieldError(taken.text, 'slug')]).toEqual([409, 'A workspace with slug "contoso-msp" already exists.']);
        const bad = await post('/workspaces', { slug: 'Bad Slug', name: '' });
        expect(bad.status).toBe(400);
        expect(fieldError(bad.text, 'name')).toBe('Name the workspace.');
        expect(await validateHtml(bad.text)).toEqual([]);
        const created = await post('/workspaces', { slug: 'fabrikam-msp', name: 'Fabrikam MSP' });
        expect([created.status, created.headers.location]).toEqual([303, '/w/fabrikam-msp']);
        await page('/w/fabrikam-msp').expect(200);
      });

      it('others get no form, and posting it is refused (403)', async () => {
        const memberSession = await signInAs(t, 'member@example.test', 'a long member password');
        const [row] = await t.db.query<{ csrf_token: string }>(
          `select s.csrf_token from sessions s join users u on u.id = s.user_id where u.email = 'member@example.test' order by s.created_at desc limit 1`,
        );
        const home = await http().get('/').set('Cookie', memberSession).set('Accept', 'text/html');
        expect(home.status).toBe(303); // their one workspace
        const res = await http().post('/workspaces').set('Cookie', memberSession).set('Accept', 'text/html').type('form').send({ _csrf: row.csrf_token, slug: 'sneaky', name: 'Sneaky' });
        expect(res.status).toBe(403);
        const settings = await http().get(`/w/${firstSlug}/settings`).set('Cookie', memberSession).set('Accept', 'text/html');
        expect(settings.status).toBe(403);
      });

      it('the settings page renames the workspace; a blank name is refused beside its field', async () => {
        const settings = await page(`/w/${firstSlug}/settings`).expect(200);
        expect(settings.text).toContain('data-testid="rename-workspace-form"');
        expect(await validateHtml(settings.text)).toEqual([]);
        const blank = await post(`/w/${firstSlug}/settings/name`, { name: '   ' });
        expect([blank.status, fieldError(blank.text, 'name')]).toEqual([400, 'Workspace names must be 1 to 120 characters long.']);
        const done = await post(`/w/${firstSlug}/settings/name`, { name: 'Acme Managed Services' });
        expect([done.status, done.headers.location]).toEqual([303, `/w/${firstSlug}/settings?saved=renamed`]);
        const after = await page(`/w/${firstSlug}/settings?saved=renamed`).expect(200);
        expect(after.text).toContain('Workspace renamed.');
        expect(after.text).toContain('value="Acme Managed Services"');
      });
    });
  });
});

describe('first run: npm run cli -- admin:create', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `opsdeck_test_${process.pid}_first_run_${randomBytes(4).toString('hex')}`,
      NODE_ENV: 'test',
      BCRYPT_COST: '4',
    };
    return runCli(args, env);
  }

  it('creates the platform administrator and the first workspace on an empty database, then refuses', async () => {
    const created = await cli([
      'admin:create', '--email', 'root@example.test', '--password', 'a long root password', '--name', 'Root',
      '--workspace-slug', 'first-msp', '--workspace-name', 'First MSP',
    ]);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^Created platform administrator root@example\.test \(Root\), id [0-9a-f-]{36}\.\nCreated workspace first-msp \("First MSP"\) with root@example\.test as owner\.\n$/);
    expect(await db.query('select email, is_platform_admin from users')).toEqual([{ email: 'root@example.test', is_platform_admin: true }]);
    expect(await db.query('select w.slug, m.role from memberships m join workspaces w on w.id = m.workspace_id')).toEqual([{ slug: 'first-msp', role: 'owner' }]);

    const again = await cli(['admin:create', '--email', 'second@example.test', '--password', 'a long second password']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim()).toMatch(/^Opsdeck already has users: the first administrator exists\./);
    expect(await db.query('select count(*)::int as n from users')).toEqual([{ n: 1 }]);
  });

  it('refuses a workspace slug without a name as a usage error', async () => {
    const res = await cli(['admin:create', '--email', 'x@example.test', '--password', 'a long password', '--workspace-slug', 'x']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^Give --workspace-slug and --workspace-name together, or neither/);
  });
});
