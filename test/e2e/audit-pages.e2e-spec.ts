import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { OPERATION_COMPLETED, OPERATION_START_REQUESTED } from '../../src/shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../src/shared/core/audit-trail/audit-log.port';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { DEMO_USERS, DemoUserKey } from '../../src/cli/demo-seed';
import { signInAs } from '../support/browser-session';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

const AUDIT = '/w/contoso-msp/audit';
/** The events a page lists, by their public ids (random UUIDs: the sequential key never leaves the database). */
const rows = (html: string) => [...html.matchAll(/data-event-id="([^"]*)"/g)].map((m) => m[1]);
const decode = (href: string) => href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The audit log page: persona matrix, filters onto the audit API, keyset paging, escaping, scope. */
describe('audit log page (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  const cookies = {} as Record<DemoUserKey | 'manager', string>;
  const runId = randomUUID();
  const http = () => request(t.app.getHttpServer());
  const page = (who: keyof typeof cookies, path = AUDIT) => http().get(path).set('Cookie', cookies[who]).set('Accept', 'text/html');

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    for (const user of DEMO_USERS) cookies[user.key] = await signInAs(t, user.email, scope.password);
    // A manager (holds audit.view) limited to contoso-hq.
    const identity = t.get<IdentityAdminService>(IdentityAdminService);
    await identity.createUser({ email: 'manager@opsdeck.test', password: scope.password, displayName: 'Mia Manager' });
    await identity.setMembership(
      { email: 'manager@opsdeck.test', workspaceSlug: 'contoso-msp', role: 'manager', environmentSlugs: ['contoso-hq'] },
      { userId: null, label: 'test' },
    );
    cookies.manager = await signInAs(t, 'manager@opsdeck.test', scope.password);

    const log = t.get<AuditLog>(AUDIT_LOG);
    const env = scope.environmentIds;
    const { owner, operator } = scope.userIds;
    await log.record({
      actorUserId: operator,
      actorLabel: 'user',
      workspaceId: scope.workspaceId,
      environmentId: env['contoso-hq'],
      action: OPERATION_START_REQUESTED,
      subjectType: 'operation_run',
      subjectId: runId,
      metadata: { type: 'inventory.sync', note: '<script>alert(1)</script>' },
    });
    await log.record({
      actorUserId: null,
      actorLabel: 'system',
      workspaceId: scope.workspaceId,
      environmentId: env['contoso-hq'],
      action: OPERATION_COMPLETED,
      subjectType: 'operation_run',
      subjectId: runId,
      metadata: { type: 'inventory.sync', outcome: 'succeeded' },
    });
    await log.record({
      actorUserId: owner,
      actorLabel: 'user',
      workspaceId: scope.workspaceId,
      environmentId: env['northwind'],
      action: OPERATION_START_REQUESTED,
      subjectType: 'operation_run',
      subjectId: randomUUID(),
      metadata: { type: 'baseline.compare', secret_marker: 'northwind-only' },
    });
  });
  afterAll(() => t?.close());

  it.each([
    ['owner', 200],
    ['operator', 403],
    ['viewer', 403],
    ['outsider', 404],
  ] as const)('answers %s with %i, as the API does', async (who, status) => {
    const res = await page(who).expect(status);
    expect(res.text).not.toMatch(/at [\w.<>]+ \(.*:\d+:\d+\)/);
    if (status === 403) {
      expect(res.text).toContain('Not allowed');
      expect(res.text).toContain('audit.view');
      expect(res.text).not.toContain('data-event-id');
    }
    if (status === 404) expect(res.text).not.toContain('Contoso');
  });

  it('answers 401 without a session, and sends a browser to sign in', async () => {
    await http().get(AUDIT).expect(401);
    const res = await http().get(AUDIT).set('Accept', 'text/html').expect(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });

  it('shows the owner every event newest first: actor, action, environment, run link, escaped metadata', async () => {
    const res = await page('owner').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<h1>Audit log</h1>');
    expect(res.text).toContain('aria-current="page">Audit log</a>');
    const ids = rows(res.text);
    expect(ids.length).toBeGreaterThanOrEqual(7); // 3 planted + 4 seeded memberships + the manager's
    const stored = await t.db.query<{ public_id: string }>(
      'select public_id from audit_events where workspace_id = $1 order by at desc, id desc limit 50',
      [scope.workspaceId],
    );
    expect(ids).toEqual(stored.map((r) => r.public_id));
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(res.text).toContain(`<a href="/operations/${runId}" title="Run ${runId}">Run ${runId.slice(0, 8)}</a>`);
    expect(res.text).toContain('Northwind Traders');
    expect(res.text).toContain('Oscar Operator');
    // Planted metadata is shown as escaped compact JSON, never as markup.
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<script>alert');
  });

  it('narrows the list by action, environment, actor and date range (the API filters)', async () => {
    const all = rows((await page('owner').expect(200)).text);

    const completed = await page('owner', `${AUDIT}?action=${OPERATION_COMPLETED}`).expect(200);
    expect(rows(completed.text)).toHaveLength(1);
    expect(completed.text).toMatch(new RegExp(`<option value="${OPERATION_COMPLETED}" selected>`));

    const northwind = await page('owner', `${AUDIT}?environment=northwind`).expect(200);
    expect(rows(northwind.text)).toHaveLength(1);
    expect(northwind.text).toContain('northwind-only');
    expect(northwind.text).not.toContain(runId);

    const byOperator = await page('owner', `${AUDIT}?actor=${scope.userIds.operator}`).expect(200);
    expect(rows(byOperator.text)).toHaveLength(1);
    expect(byOperator.text).toContain(runId);

    const today = new Date().toISOString().slice(0, 10);
    const inclusive = await page('owner', `${AUDIT}?from=${today}&to=${today}`).expect(200);
    expect(rows(inclusive.text)).toEqual(all); // "to" includes its whole day
    const future = await page('owner', `${AUDIT}?from=2999-01-01`).expect(200);
    expect(rows(future.text)).toEqual([]);
    expect(future.text).toContain('No events match these filters.');
    const past = await page('owner', `${AUDIT}?to=2000-01-01`).expect(200);
    expect(rows(past.text)).toEqual([]);

    // Empty fields mean "any", and unknown query parameters are ignored.
    const blank = await page('owner', `${AUDIT}?action=&environment=&actor=&from=&to=&utm=x`).expect(200);
    expect(rows(blank.text)).toEqual(all);
  });

  it('re-renders the form with 400 and the message beside the field for bad filters', async () => {
    const badDate = await page('owner', `${AUDIT}?from=2026-13-45`).expect(400);
    expect(badDate.text).toMatch(/<p class="field-error" id="from-error">from must be an ISO 8601/);
    expect(badDate.text).toContain('aria-describedby="from-error"');
    expect(badDate.text).toContain('value="2026-13-45"');
    const badActor = await page('owner', `${AUDIT}?actor=bob`).expect(400);
    expect(badActor.text).toContain('id="actor-error"');
    const reversed = await page('owner', `${AUDIT}?from=2026-02-01&to=2026-01-01`).expect(400);
    expect(reversed.text).toContain('from must not be later than to.');
    const forged = await page('owner', `${AUDIT}?cursor=not-a-cursor`).expect(400);
    expect(forged.text).toContain('cursor is not valid');
  });

  it('pages with an Older link that keeps the filters, without skipping or repeating', async () => {
    const log = t.get<AuditLog>(AUDIT_LOG);
    await log.recordMany(
      Array.from({ length: 55 }, (_, i) => ({
        actorUserId: scope.userIds.owner,
        actorLabel: 'user',
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['fabrikam'],
        action: OPERATION_START_REQUESTED,
        subjectType: 'operation_run',
        subjectId: randomUUID(),
        metadata: { n: i },
      })),
    );
    const filter = `${AUDIT}?environment=fabrikam`;
    const first = await page('owner', filter).expect(200);
    expect(rows(first.text)).toHaveLength(50);
    const older = /<a href="([^"]+)" rel="next">Older<\/a>/.exec(first.text)?.[1];
    expect(older).toBeDefined();
    expect(decode(older!)).toMatch(/^\/w\/contoso-msp\/audit\?environment=fabrikam&cursor=[A-Za-z0-9_-]+$/);
    const second = await page('owner', decode(older!)).expect(200);
    expect(rows(second.text)).toHaveLength(5);
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('>Newest</a>');
    expect(new Set([...rows(first.text), ...rows(second.text)]).size).toBe(55);
  });

  it('shows a reader limited to some environments nothing of the others: rows, filter options, filter URLs', async () => {
    const res = await page('manager').expect(200);
    expect(res.text).not.toContain('Northwind');
    expect(res.text).not.toContain('northwind');
    expect(res.text).not.toContain('Fabrikam');
    expect(res.text).not.toContain('fabrikam');
    expect(res.text).toContain('<option value="contoso-hq">Contoso HQ</option>');
    expect(rows(res.text)).toHaveLength(2); // the two contoso-hq events
    for (const slug of ['northwind', 'no-such-env']) {
      const hidden = await page('manager', `${AUDIT}?environment=${slug}`).expect(404);
      expect(hidden.text).toContain('Page not found');
    }
  });
});
