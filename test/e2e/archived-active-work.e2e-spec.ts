import request from 'supertest';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

const WS = 'contoso-msp';
const KPIS = ['active', 'active_stale_attention', 'terminal_follow_up', 'reconciled'] as const;
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');

/** The overview's KPIs: key → [href, value]. */
function kpis(html: string): Record<string, [string, number]> {
  const out: Record<string, [string, number]> = {};
  for (const key of KPIS) {
    const m = new RegExp(`data-kpi="${key}"><a href="([^"]+)"><span class="kpi-value">(\\d+)<`).exec(html);
    if (m) out[key] = [decode(m[1]), Number(m[2])];
  }
  return out;
}

/**
 * Issue 19: an archived environment "leaves KPIs of active work". The overview counts active work
 * only while the workspace has archived environments — its KPIs, attention lists and recent runs
 * are the hub view `archived=exclude`, and every link says so, so each number still equals the
 * hub's count for its link — while the hub's default view keeps the archived history. A member
 * who cannot see the archived environment gets the same overview as before (nothing to infer).
 */
describe('archived environments leave the KPIs of active work', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  let owner: string;
  let litwareId: string;
  const http = () => request(t.app.getHttpServer());
  const page = (cookie: string, path: string) => http().get(path).set('Cookie', cookie).set('Accept', 'text/html');
  const counts = async (query: string, persona: 'owner' | 'operator' = 'owner') =>
    (await http().get(`/api/v1/workspaces/${WS}/operations?limit=1&${query}`).set(api.auth(persona)).expect(200)).body.counts;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
    owner = await signInAs(t, 'owner@opsdeck.test', scope.password);
    const created = await http()
      .post(`/api/v1/workspaces/${WS}/environments`)
      .set(api.auth('owner'))
      .send({ slug: 'litware', display_name: 'Litware', provider: { kind: 'fixture' } })
      .expect(201);
    litwareId = created.body.id;
    const base = { workspaceId: scope.workspaceId, type: 'inventory.sync' };
    // Litware: one active run and one failure needing follow-up; a workspace-level failure too.
    await insertRunRow(t.db, { ...base, environmentId: litwareId, status: 'running', createdAgoS: 30, heartbeatAgoS: 5 });
    await insertRunRow(t.db, { ...base, environmentId: litwareId, status: 'completed', outcome: 'failed', createdAgoS: 60 });
    await insertRunRow(t.db, { ...base, type: 'operations.fan_out', environmentId: null, status: 'completed', outcome: 'failed', createdAgoS: 90 });
  });
  afterAll(() => t?.close());

  it('counts an environment until it is archived, then leaves it out of the KPIs, each KPI equal to the hub view it links', async () => {
    const before = kpis((await page(owner, `/w/${WS}`).expect(200)).text);
    expect(before.active[0]).toBe(`/w/${WS}/operations?tab=active`);
    const all = await counts('');
    for (const key of KPIS) expect(before[key][1]).toBe(all[key]);

    await http().post(`/api/v1/workspaces/${WS}/environments/litware/archive`).set(api.auth('owner')).expect(200);

    const html = (await page(owner, `/w/${WS}`).expect(200)).text;
    const after = kpis(html);
    expect(after.active[1]).toBe(before.active[1] - 1);
    expect(after.terminal_follow_up[1]).toBe(before.terminal_follow_up[1] - 1);
    expect(after.reconciled[1]).toBe(before.reconciled[1]);
    for (const key of KPIS) {
      const [href, value] = after[key];
      expect(href).toBe(`/w/${WS}/operations?${key === 'active' ? 'tab=active' : `tab=${key}`}&archived=exclude`);
      expect(value).toBe((await counts('archived=exclude'))[key]);
    }
    // The attention counts and "All operations" link to the same view.
    expect(decode(html)).toContain(`href="/w/${WS}/operations?tab=terminal_follow_up&archived=exclude" class="count" data-metric="attention-follow-up">${after.terminal_follow_up[1]}<`);
    expect(decode(html)).toContain(`<a href="/w/${WS}/operations?archived=exclude">All operations</a>`);

    // The hub's default view keeps the archived history; the workspace-level run stays in both.
    const history = await counts('');
    expect(history.active).toBe(before.active[1]);
    expect(history.terminal_follow_up).toBe(before.terminal_follow_up[1]);
    const litware = await http().get(`/api/v1/workspaces/${WS}/operations?environment=litware&archived=exclude`).set(api.auth('owner')).expect(200);
    expect(litware.body.items).toEqual([]);
    const workspaceLevel = await http().get(`/api/v1/workspaces/${WS}/operations?type=operations.fan_out&archived=exclude`).set(api.auth('owner')).expect(200);
    expect(workspaceLevel.body.items).toHaveLength(1);
  });

  it('lists archived environments apart, with their badge and no health figures', async () => {
    const html = (await page(owner, `/w/${WS}`).expect(200)).text;
    const cards = html.slice(html.indexOf('data-testid="environment-health"'), html.indexOf('data-testid="archived-environments"'));
    expect(cards).toContain('data-environment="contoso-hq"');
    expect(cards).not.toContain('data-environment="litware"');
    expect(html).toMatch(
      /data-testid="archived-environments">\s*<li data-environment="litware"><a href="\/w\/contoso-msp\/e\/litware">Litware<\/a> <span class="badge tone-neutral" data-badge="archived">Archived<\/span>/,
    );
  });

  it('offers the choice in the hub filters while an archived environment is visible, and marks it in the environment list', async () => {
    const hub = (await page(owner, `/w/${WS}/operations?archived=exclude`).expect(200)).text;
    expect(hub).toMatch(/<select name="archived">\s*<option value="">Including archived environments<\/option><option value="exclude" selected>Without archived environments<\/option>/);
    expect(hub).toContain('<option value="litware">Litware (archived)</option>');
    const bad = await http().get(`/api/v1/workspaces/${WS}/operations?archived=hidden`).set(api.auth('owner')).expect(400);
    expect(JSON.stringify(bad.body)).toContain('archived must be one of: include, exclude');
    await page(owner, `/w/${WS}/operations?archived=hidden`).expect(400);
  });

  it('shows a member who cannot see the archived environment the overview as it was: no filter, no archived list', async () => {
    const operator = await signInAs(t, 'operator@opsdeck.test', scope.password);
    const html = (await page(operator, `/w/${WS}`).expect(200)).text;
    expect(html).not.toContain('archived=exclude');
    expect(html).not.toContain('data-testid="archived-environments"');
    const seen = kpis(html);
    const all = await counts('', 'operator');
    for (const key of KPIS) expect(seen[key]).toEqual([`/w/${WS}/operations?tab=${key}`, all[key]]);
    // Its hub has no archived choice to offer.
    const hub = (await page(operator, `/w/${WS}/operations`).expect(200)).text;
    expect(hub).not.toContain('name="archived"');
  });

  it('counts the environment again once restored', async () => {
    await http().post(`/api/v1/workspaces/${WS}/environments/litware/restore`).set(api.auth('owner')).expect(200);
    const html = (await page(owner, `/w/${WS}`).expect(200)).text;
    const all = await counts('');
    for (const key of KPIS) expect(kpis(html)[key]).toEqual([`/w/${WS}/operations?tab=${key}`, all[key]]);
    expect(html).toContain('data-environment="litware"');
  });

  it('lets a bulk action carry the choice: the confirmation counts the view without the archived environment', async () => {
    await http().post(`/api/v1/workspaces/${WS}/environments/litware/archive`).set(api.auth('owner')).expect(200);
    const confirm = (await page(owner, `/w/${WS}/operations/bulk/cancel?archived=exclude`).expect(200)).text;
    const withArchived = (await page(owner, `/w/${WS}/operations/bulk/cancel`).expect(200)).text;
    const count = (html: string) => Number(/data-testid="bulk-count">(\d+) matching/.exec(html)?.[1]);
    expect(count(withArchived)).toBe(count(confirm) + 1);
    expect(confirm).toContain('<dt>Archived environments</dt><dd>Left out</dd>');
    const refused = await http()
      .post(`/api/v1/workspaces/${WS}/operations/bulk`)
      .set(api.auth('owner'))
      .send({ action: 'cancel', filter: { archived: 'hidden' } })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('archived');
  });
});
