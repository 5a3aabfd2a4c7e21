import request from 'supertest';
import { DEMO_BASELINE, DEMO_USERS, DemoUserKey } from '../../src/cli/demo-seed';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { hiddenField, signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Workspace overview and environment dashboard over HTTP, signed in through the real login form.
 * Every number on the overview must equal what the API answers for the hub URL it links to.
 * The app runs without a worker: started runs stay queued, planted rows stay as written.
 */

const WS = 'contoso-msp';
const SIGNED_IN: DemoUserKey[] = ['owner', 'operator', 'viewer', 'outsider'];
const STALE_GUIDANCE = 'Past the lifecycle window. Review worker health and logs before retrying.';
const LAST_REPORTED = /<p class="muted" data-testid="last-reported">Last reported 4 of 10 processed, 5\d min ago<\/p>/;

/** A likely stale counted run's row: the cautious line, its counts only as muted history, no bar, no percentage. */
function expectStaleCountedRow(row: string): void {
  expect(row).toContain('Likely stale');
  expect(row).toContain(STALE_GUIDANCE);
  expect(row).toMatch(LAST_REPORTED);
  expect(row).not.toContain('<progress');
  expect(row).not.toMatch(/\d+\s*%/);
  expect(row).not.toContain('4 / 10');
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');

/** Every `<a href="/w/…/operations…">N</a>`-style linked number of a page: [href, value]. */
function linkedNumbers(html: string): [string, number][] {
  const found: [string, number][] = [];
  const re = /<a href="(\/w\/[^"]+\/operations[^"]*)"[^>]*>(?:<span class="kpi-value">)?(\d+)</g;
  for (let m = re.exec(html); m; m = re.exec(html)) found.push([decode(m[1]), Number(m[2])]);
  return found;
}

function runRow(html: string, id: string): string {
  const start = html.indexOf(`<tr data-run-id="${id}"`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</tr>', start));
}

describe('workspace overview and environment dashboard pages', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const cookies = {} as Record<DemoUserKey, string>;
  let staleRunId: string;
  let freshRunId: string;
  let hiddenRunId: string;
  let profileId: string;
  let compareResultId: string;
  let reviewId: string;

  const http = () => request(t.app.getHttpServer());
  const page = (persona: DemoUserKey, path: string) => http().get(path).set('Cookie', cookies[persona]).set('Accept', 'text/html');

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
    for (const key of SIGNED_IN) {
      cookies[key] = await signInAs(t, DEMO_USERS.find((u) => u.key === key)!.email, scope.password);
    }
    const env = scope.environmentIds;
    const ws = scope.workspaceId;
    // contoso-hq: a likely stale counted sync (running, 4 of 10 at its last heartbeat 50 min ago) and an old failure.
    staleRunId = await insertRunRow(t.db, {
      workspaceId: ws,
      environmentId: env['contoso-hq'],
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3000,
      summaryCounts: { processed: 4, total: 10 },
    });
    freshRunId = await insertRunRow(t.db, { workspaceId: ws, environmentId: env['contoso-hq'], type: 'environment.review.compose', status: 'queued', createdAgoS: 5 });
    await insertRunRow(t.db, { workspaceId: ws, environmentId: env['contoso-hq'], type: 'inventory.sync', status: 'completed', outcome: 'succeeded', createdAgoS: 7200 });
    await insertRunRow(t.db, { workspaceId: ws, environmentId: env['contoso-hq'], type: 'inventory.sync', status: 'completed', outcome: 'failed', createdAgoS: 10 * 86400 });
    // fabrikam: a recent failure; northwind (hidden from the operator): failures and a stale queued run.
    await insertRunRow(t.db, { workspaceId: ws, environmentId: env.fabrikam, type: 'inventory.sync', status: 'completed', outcome: 'failed', createdAgoS: 600 });
    hiddenRunId = await insertRunRow(t.db, { workspaceId: ws, environmentId: env.northwind, type: 'inventory.sync', status: 'completed', outcome: 'failed', createdAgoS: 900 });
    await insertRunRow(t.db, { workspaceId: ws, environmentId: env.northwind, type: 'baseline.capture', status: 'completed', outcome: 'failed', createdAgoS: 950 });
    await insertRunRow(t.db, { workspaceId: ws, environmentId: null, type: 'inventory.sync', status: 'completed', outcome: 'blocked', createdAgoS: 100 });
    // The demo baseline with a complete snapshot (a compare needs one), a compare result and inventory.
    [{ id: profileId }] = await t.db.query<{ id: string }>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, $2, $3) returning id`,
      [ws, DEMO_BASELINE.name, env['contoso-hq']],
    );
    const [{ id: snapshotId }] = await t.db.query<{ id: string }>(
      `insert into baseline_snapshots (profile_id, run_id, status, item_count, completed_at)
       values ($1, gen_random_uuid(), 'complete', 2, now()) returning id`,
      [profileId],
    );
    [{ id: compareResultId }] = await t.db.query<{ id: string }>(
      `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id, status, findings_count, completed_at)
       values ($1, $2, $3, gen_random_uuid(), 'complete', 1, now()) returning id`,
      [profileId, snapshotId, env.fabrikam],
    );
    await t.db.query(
      `insert into baseline_findings (compare_result_id, type, kind, external_id, display_name, pair_key)
       values ($1, 'setting_differs', 'compliance_policy', 'cp-1', 'Windows compliance', 'compliance_policy/cp-1')`,
      [compareResultId],
    );
    await t.db.query(
      `insert into inventory_items (environment_id, kind, external_id, display_name, settings, content_hash)
       values ($1, 'compliance_policy', 'cp-1', 'A', '{}', 'h1'), ($1, 'compliance_policy', 'cp-2', 'B', '{}', 'h2'),
              ($1, 'conditional_access', 'ca-1', 'C', '{}', 'h3')`,
      [env.fabrikam],
    );
    [{ id: reviewId }] = await t.db.query<{ id: string }>(
      `insert into environment_reviews (workspace_id, environment_id, period_from, period_to, period_label, status, fingerprint, ready_at)
       values ($1, $2, '2026-10-01', '2026-11-01', 'October 2026', 'ready', 'fp', now()) returning id`,
      [ws, env.fabrikam],
    );
  });
  afterAll(() => t?.close());

  describe('overview', () => {
    it.each(['owner', 'operator', 'viewer'] as DemoUserKey[])('shows %s the environments they may see', async (persona) => {
      const res = await page(persona, `/w/${WS}`).expect(200);
      expect(res.text).toContain('Contoso HQ');
      expect(res.text).toContain('href="/w/contoso-msp/e/fabrikam"');
      if (persona === 'operator') {
        // Hidden: nowhere — not in cards, links, filters or the navigation.
        expect(res.text).not.toMatch(/northwind/i);
      } else {
        expect(res.text).toContain('Northwind Traders');
      }
    });

    it('answers 404 for a workspace the user is not a member of, and for an unknown one', async () => {
      await page('outsider', `/w/${WS}`).expect(404);
      await page('owner', '/w/no-such-workspace').expect(404);
      const own = await page('outsider', '/w/tailspin-msp').expect(200);
      expect(own.text).toContain('Tailspin Production');
      expect(own.text).not.toContain('Contoso');
    });

    it('sends a visitor without a session to sign in', async () => {
      const res = await http().get(`/w/${WS}`).set('Accept', 'text/html').expect(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/w/${WS}`)}`);
    });

    it.each(['owner', 'operator', 'viewer'] as DemoUserKey[])(
      'gives %s KPI numbers equal to the API counts, each linking to the hub view that reproduces it',
      async (persona) => {
        const html = (await page(persona, `/w/${WS}`).expect(200)).text;
        const all = (await http().get(`/api/v1/workspaces/${WS}/operations?limit=1`).set(api.auth(persona)).expect(200)).body;
        for (const [key, href] of [
          ['active', '/w/contoso-msp/operations?tab=active'],
          ['active_stale_attention', '/w/contoso-msp/operations?tab=active_stale_attention'],
          ['terminal_follow_up', '/w/contoso-msp/operations?tab=terminal_follow_up'],
          ['reconciled', '/w/contoso-msp/operations?tab=reconciled'],
        ]) {
          const m = new RegExp(`data-kpi="${key}"><a href="([^"]+)"><span class="kpi-value">(\\d+)<`).exec(html);
          expect(m).not.toBeNull();
          expect(decode(m![1])).toBe(href);
          expect(Number(m![2])).toBe(all.counts[key]);
        }
        // Every linked number on the page (KPIs, per-environment health, attention counts) equals
        // the API's count for exactly the hub query it links to.
        const numbers = linkedNumbers(html);
        expect(numbers.length).toBeGreaterThanOrEqual(4 + 3 * 2);
        for (const [href, value] of numbers) {
          const query = new URLSearchParams(href.split('?')[1] ?? '');
          const tab = query.get('tab') ?? 'all';
          query.set('limit', '1');
          const body = (await http().get(`/api/v1/workspaces/${WS}/operations?${query}`).set(api.auth(persona)).expect(200)).body;
          expect([href, value]).toEqual([href, body.counts[tab]]);
        }
      },
    );

    it('links per-environment numbers to the hub with the environment and, for failures, the last 7 days', async () => {
      const html = (await page('owner', `/w/${WS}`).expect(200)).text;
      const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
      const hrefs = linkedNumbers(html).map(([h]) => h);
      expect(hrefs).toContain('/w/contoso-msp/operations?tab=active&environment=contoso-hq');
      expect(hrefs).toContain('/w/contoso-msp/operations?tab=active_stale_attention&environment=contoso-hq');
      expect(hrefs).toContain(`/w/contoso-msp/operations?outcome=failed&environment=northwind&from=${from}`);
      const failedNorthwind = linkedNumbers(html).find(([h]) => h.includes('outcome=failed&environment=northwind'))!;
      expect(failedNorthwind[1]).toBe(2); // the failed sync and the failed capture; the 10-day-old one is out
    });

    it('shows the latest drift count linking to its compare result, and the last successful sync', async () => {
      const html = (await page('owner', `/w/${WS}`).expect(200)).text;
      const fabrikam = html.slice(html.indexOf('data-environment="fabrikam"'), html.indexOf('data-environment="northwind"'));
      expect(fabrikam).toContain(`href="/w/contoso-msp/baselines/compare-results/${compareResultId}" data-metric="drift">1<`);
      const hq = html.slice(html.indexOf('data-environment="contoso-hq"'), html.indexOf('data-environment="fabrikam"'));
      expect(hq).toMatch(/data-metric="last-sync">\d+ \w{3} \d{4}/);
      expect(fabrikam).toMatch(/data-metric="last-sync"><span class="muted">Never/);
    });

    it('lists needs-attention runs and recent operations from the presenter', async () => {
      const html = (await page('operator', `/w/${WS}`).expect(200)).text;
      const attention = html.slice(html.indexOf('id="attention-heading"'), html.indexOf('id="recent-heading"'));
      expect(runRow(attention, staleRunId)).toContain('Likely stale');
      expectStaleCountedRow(runRow(attention, staleRunId));
      expect(attention).toContain('data-problem-class="terminal_follow_up"');
      const recent = html.slice(html.indexOf('id="recent-heading"'));
      expect((recent.match(/<tr data-run-id=/g) ?? []).length).toBeGreaterThan(0);
      expect((recent.match(/<tr data-run-id=/g) ?? []).length).toBeLessThanOrEqual(10);
    });
  });

  describe('environment dashboard', () => {
    it.each([
      ['owner', 'northwind', 200],
      ['operator', 'contoso-hq', 200],
      ['operator', 'northwind', 404],
      ['viewer', 'fabrikam', 200],
      ['outsider', 'contoso-hq', 404],
      ['owner', 'no-such-env', 404],
    ] as [DemoUserKey, string, number][])('answers %s on %s with %i', async (persona, envSlug, status) => {
      const res = await page(persona, `/w/${WS}/e/${envSlug}`).expect(status);
      if (status === 404) {
        expect(res.text).toContain('Page not found');
        expect(res.text).not.toMatch(/northwind/i);
        await page(persona, `/w/${WS}/e/${envSlug}/live`).expect(404);
      }
    });

    it('shows a likely stale run in the active runs, first, with the cautious guidance', async () => {
      const html = (await page('operator', `/w/${WS}/e/contoso-hq`).expect(200)).text;
      const active = html.slice(html.indexOf('id="active-runs"'), html.indexOf('id="start-heading"'));
      const row = runRow(active, staleRunId);
      expect(row).toContain('Likely stale');
      expect(row).toContain(STALE_GUIDANCE);
      expect(row).not.toContain('Waiting for worker.');
      expectStaleCountedRow(row);
      expectStaleCountedRow(runRow(html.slice(html.indexOf('id="recent-heading"')), staleRunId));
      // Escalated above the newer, fresh queued run.
      expect(active).toContain(`data-run-id="${freshRunId}"`);
      expect(active.indexOf(`<tr data-run-id="${staleRunId}"`)).toBe(active.indexOf('<tr data-run-id='));
      expect(active).toContain(`data-poll="/w/contoso-msp/e/contoso-hq/live" data-poll-active="true"`);
    });

    it.each([
      ['contoso-hq', 1, 0],
      ['fabrikam', 0, 1],
    ])('shows %s its likely stale (%i) and failed-in-7-days (%i) counts, each linking to the hub view that lists them', async (envSlug, stale, failed) => {
      const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
      for (const persona of ['owner', 'operator'] as DemoUserKey[]) {
        const html = (await page(persona, `/w/${WS}/e/${envSlug}`).expect(200)).text;
        const facts = html.slice(html.indexOf('data-testid="environment-attention"'), html.indexOf('</dl>', html.indexOf('data-testid="environment-attention"')));
        const numbers = linkedNumbers(facts);
        expect(numbers).toEqual([
          [`/w/${WS}/operations?tab=active_stale_attention&environment=${envSlug}`, stale],
          [`/w/${WS}/operations?outcome=failed&environment=${envSlug}&from=${from}`, failed],
        ]);
        for (const [href, value] of numbers) {
          const query = new URLSearchParams(href.split('?')[1]);
          const tab = query.get('tab') ?? 'all';
          query.set('limit', '1');
          const body = (await http().get(`/api/v1/workspaces/${WS}/operations?${query}`).set(api.auth(persona)).expect(200)).body;
          expect([href, value]).toEqual([href, body.counts[tab]]);
        }
      }
    });

    it('shows inventory per kind, the latest compare result and the latest review', async () => {
      const html = (await page('viewer', `/w/${WS}/e/fabrikam`).expect(200)).text;
      expect(html).toMatch(/<tr data-kind="compliance_policy"><td>compliance_policy<\/td><td>2<\/td>/);
      expect(html).toMatch(/<tr data-kind="conditional_access"><td>conditional_access<\/td><td>1<\/td>/);
      expect(html).toContain(`href="/w/contoso-msp/baselines/compare-results/${compareResultId}"`);
      expect(html).toContain(DEMO_BASELINE.name);
      expect(html).toContain(`href="/w/contoso-msp/e/fabrikam/reviews/${reviewId}"`);
      expect(html).toContain('October 2026');
    });

    it('shows the viewer every start form disabled with the reason', async () => {
      const html = (await page('viewer', `/w/${WS}/e/contoso-hq`).expect(200)).text;
      expect(html).not.toContain('data-enabled="true"');
      expect((html.match(/data-enabled="false"/g) ?? []).length).toBe(4);
      expect(html).toContain('Your role cannot start Baseline compare.');
      expect(html).toContain('Your role cannot start Inventory sync.');
      expect(html).toMatch(/<button type="submit" disabled aria-describedby="start-baseline-compare-reason">/);
    });

    it('enables the operator\'s start forms on his environment, capture only from the profile\'s source', async () => {
      const hq = (await page('operator', `/w/${WS}/e/contoso-hq`).expect(200)).text;
      for (const type of ['inventory.sync', 'baseline.capture', 'baseline.compare', 'environment.review.compose']) {
        expect(hq).toContain(`data-start-type="${type}" data-enabled="true"`);
      }
      const fabrikam = (await page('operator', `/w/${WS}/e/fabrikam`).expect(200)).text;
      expect(fabrikam).toContain('data-start-type="baseline.compare" data-enabled="true"');
      expect(fabrikam).toContain('data-start-type="baseline.capture" data-enabled="false"');
      expect(fabrikam).toContain('No baseline profile uses this environment as its source.');
    });

    it('starts a baseline compare from the form and announces it; a second start is already queued', async () => {
      const path = `/w/${WS}/e/contoso-hq`;
      const form = (await page('operator', path).expect(200)).text;
      const csrf = hiddenField(form, '_csrf');
      expect(csrf).toBeTruthy();
      const start = () =>
        http()
          .post(`${path}/operations`)
          .set('Cookie', cookies.operator)
          .type('form')
          .send({ _csrf: csrf, type: 'baseline.compare', baseline_id: profileId, return_to: path });

      const first = await start().expect(303);
      const location = first.headers.location as string;
      const runId = /started=([0-9a-f-]{36})/.exec(location)?.[1];
      expect(location).toBe(`${path}?started=${runId}&created=1`);
      const after = (await page('operator', location).expect(200)).text;
      expect(after).toContain(`Baseline compare queued — <a href="/operations/${runId}">View run</a>`);
      expect(after).toContain(`data-run-id="${runId}"`);

      const second = await start().expect(303);
      expect(second.headers.location).toBe(`${path}?started=${runId}&created=0`);
      const again = (await page('operator', second.headers.location).expect(200)).text;
      expect(again).toContain(`Already queued — <a href="/operations/${runId}">View run</a>`);
    });

    it('refuses a start without the CSRF token', async () => {
      await http()
        .post(`/w/${WS}/e/contoso-hq/operations`)
        .set('Cookie', cookies.operator)
        .type('form')
        .send({ type: 'inventory.sync' })
        .expect(403);
    });

    it('announces nothing for a started id the user cannot see', async () => {
      const html = (await page('operator', `/w/${WS}/e/contoso-hq?started=${hiddenRunId}&created=1`).expect(200)).text;
      expect(html).not.toContain('data-testid="flash"');
      const owner = (await page('owner', `/w/${WS}/e/contoso-hq?started=${hiddenRunId}&created=1`).expect(200)).text;
      expect(owner).toContain('Inventory sync queued'); // the same link works for someone who may see the run
    });

    it('answers the live fragment with X-Poll-Active true while runs are active and false when none are', async () => {
      const active = await page('owner', `/w/${WS}/e/contoso-hq/live`).expect(200);
      expect(active.headers['x-poll-active']).toBe('true');
      expect(active.text).toContain(`data-run-id="${staleRunId}"`);
      expectStaleCountedRow(runRow(active.text, staleRunId));
      expect(active.text).not.toContain('<html');
      const idle = await page('owner', `/w/${WS}/e/northwind/live`).expect(200);
      expect(idle.headers['x-poll-active']).toBe('false');
      expect(idle.text).toContain('No active runs.');
      const dashboard = (await page('owner', `/w/${WS}/e/northwind`).expect(200)).text;
      expect(dashboard).toContain('data-poll-active="false"');
    });
  });

  it('escapes planted environment and profile names', async () => {
    const [{ id: envId }] = await t.db.query<{ id: string }>(
      `insert into managed_environments (workspace_id, slug, display_name) values ($1, 'xss-env', '<script>alert(1)</script>') returning id`,
      [scope.workspaceId],
    );
    await t.db.query(`insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, $2, $3)`, [
      scope.workspaceId,
      '<script>alert(2)</script>',
      envId,
    ]);
    for (const path of [`/w/${WS}`, `/w/${WS}/e/xss-env`, `/w/${WS}/e/contoso-hq`]) {
      const html = (await page('owner', path).expect(200)).text;
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;alert(');
    }
    const dashboard = (await page('owner', `/w/${WS}/e/xss-env`).expect(200)).text;
    expect(dashboard).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('never shows a limited member a compare of a profile from an environment hidden from them', async () => {
    const env = scope.environmentIds;
    const [{ id: hiddenProfile }] = await t.db.query<{ id: string }>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, 'Northwind secret baseline', $2) returning id`,
      [scope.workspaceId, env.northwind],
    );
    const [{ id: snap }] = await t.db.query<{ id: string }>(
      `insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, gen_random_uuid(), 'complete', now()) returning id`,
      [hiddenProfile],
    );
    const [{ id: hiddenResult }] = await t.db.query<{ id: string }>(
      `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id, status, findings_count, completed_at)
       values ($1, $2, $3, gen_random_uuid(), 'complete', 9, now() + interval '1 minute') returning id`,
      [hiddenProfile, snap, env.fabrikam],
    );
    for (const path of [`/w/${WS}`, `/w/${WS}/e/fabrikam`]) {
      const operator = (await page('operator', path).expect(200)).text;
      expect(operator).not.toContain(hiddenResult);
      expect(operator).not.toContain('Northwind secret baseline');
      expect(operator).toContain(`/baselines/compare-results/${compareResultId}`);
      const owner = (await page('owner', path).expect(200)).text;
      expect(owner).toContain(`/baselines/compare-results/${hiddenResult}`);
    }
  });
});
