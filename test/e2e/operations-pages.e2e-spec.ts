import request from 'supertest';
import { STALE_ACTIVE_GUIDANCE } from '../../src/modules/operations/core/freshness';
import { DEMO_USERS, DemoUserKey } from '../../src/cli/demo-seed';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Operations hub and run detail pages per demo persona, over planted runs in every shape the
 * presenter distinguishes (likely stale, counted, phased, reconciled, failed with hostile text).
 * No worker runs, so planted rows stay exactly as written.
 */

const TABS = ['all', 'active', 'active_stale_attention', 'terminal_follow_up', 'reconciled'] as const;
const HUB = '/w/contoso-msp/operations';
const MEMBERS: DemoUserKey[] = ['owner', 'operator', 'viewer'];
/** The stale run's counts as muted history: it last reported 4 of 10, 50 minutes before the test. */
const LAST_REPORTED = /<p class="muted" data-testid="last-reported">Last reported 4 of 10 processed, 5\d min ago<\/p>/;
const PERCENT = /\d+\s*%/;

describe('operations pages', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const cookies = {} as Record<DemoUserKey, string>;
  const runs = {} as Record<'stale' | 'counted' | 'phased' | 'reconciled' | 'hostile' | 'northwind', string>;

  const page = (persona: DemoUserKey, path: string) =>
    request(t.app.getHttpServer()).get(path).set('Cookie', cookies[persona]).set('Accept', 'text/html');

  const tabCounts = (html: string): Record<string, number> =>
    Object.fromEntries(
      TABS.map((tab) => {
        const match = new RegExp(`data-testid="tab-count-${tab}">(\\d+)<`).exec(html);
        return [tab, match ? Number(match[1]) : NaN];
      }),
    );
  /** Attribute values as a browser reads them (Handlebars escapes `=` and `&` in hrefs). */
  const attrs = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const rowIds = (html: string) => [...html.matchAll(/data-run-id="([^"]+)"/g)].map((m) => m[1]);
  const runRow = (html: string, id: string) => {
    const start = html.indexOf(`<tr data-run-id="${id}"`);
    return start < 0 ? '' : html.slice(start, html.indexOf('</tr>', start));
  };
  /** A likely stale counted run: the cautious line, its counts only as history, no bar, no percentage. */
  const expectStaleCountedRow = (row: string) => {
    expect(row).toContain(STALE_ACTIVE_GUIDANCE);
    expect(row).toMatch(LAST_REPORTED);
    expect(row).not.toContain('<progress');
    expect(row).not.toMatch(PERCENT);
    expect(row).not.toContain('4 / 10');
  };

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
    for (const key of ['owner', 'operator', 'viewer', 'outsider'] as DemoUserKey[]) {
      cookies[key] = await signInAs(t, DEMO_USERS.find((u) => u.key === key)!.email, scope.password);
    }
    const env = scope.environmentIds;
    const base = { workspaceId: scope.workspaceId, initiatorUserId: scope.userIds.owner };
    runs.stale = await insertRunRow(t.db, {
      ...base,
      environmentId: env.fabrikam,
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3000,
      summaryCounts: { processed: 4, total: 10 },
    });
    runs.counted = await insertRunRow(t.db, {
      ...base,
      environmentId: env['contoso-hq'],
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 5,
      heartbeatAgoS: 1,
      summaryCounts: { processed: 4, total: 10 },
    });
    runs.phased = await insertRunRow(t.db, {
      ...base,
      environmentId: env.fabrikam,
      type: 'baseline.compare',
      status: 'running',
      createdAgoS: 6,
      heartbeatAgoS: 1,
      context: { progress: { mode: 'phased', phase: { key: 'comparing', index: 3, count: 4, started_at: new Date().toISOString() } } },
    });
    runs.reconciled = await insertRunRow(t.db, {
      ...base,
      initiatorUserId: scope.userIds.operator,
      environmentId: env['contoso-hq'],
      type: 'inventory.sync',
      status: 'completed',
      outcome: 'failed',
      createdAgoS: 900,
      context: {
        reconciliation: {
          version: 1,
          reason: 'stale_running',
          source: 'scheduled_reconciler',
          decision: 'failed',
          reconciled_at: new Date(Date.now() - 60_000).toISOString(),
          previous_status: 'running',
          previous_outcome: 'pending',
          message: 'Reconciled: the worker stopped reporting; no result was recorded',
        },
        failures: [{ code: 'stale_running', message: 'Reconciled: the worker stopped reporting; no result was recorded' }],
      },
    });
    runs.hostile = await insertRunRow(t.db, {
      ...base,
      environmentId: env.fabrikam,
      type: 'baseline.capture',
      status: 'completed',
      outcome: 'failed',
      createdAgoS: 1000,
      context: {
        reconciliation: {
          version: 1,
          reason: 'adapter_said_so',
          source: 'adapter',
          adapter: '<script>alert(3)</script>',
          decision: 'failed',
          reconciled_at: new Date().toISOString(),
          previous_status: 'running',
          previous_outcome: 'pending',
          message: '<script>alert(1)</script> headline',
        },
        failures: [{ code: 'job_failed', message: '<script>alert(2)</script> failure' }],
        diagnostics: { final_error: { class: 'TypeError', message: '<script>alert(4)</script> raw' } },
      },
    });
    runs.northwind = await insertRunRow(t.db, {
      ...base,
      environmentId: env.northwind,
      type: 'inventory.sync',
      status: 'completed',
      outcome: 'failed',
      createdAgoS: 1100,
      context: { failures: [{ code: 'job_failed', message: 'Northwind sync failed' }] },
    });
  });
  afterAll(() => t?.close());

  describe('hub', () => {
    it.each(MEMBERS)('renders for %s with tab counts equal to the API', async (persona) => {
      for (const query of ['', '?environment=fabrikam', '?type=inventory.sync&status=completed']) {
        const res = await page(persona, `${HUB}${query}`).expect(200);
        const apiRes = await request(t.app.getHttpServer())
          .get(`/api/v1/workspaces/contoso-msp/operations${query}`)
          .set(api.auth(persona))
          .expect(200);
        expect(tabCounts(res.text)).toEqual(apiRes.body.counts);
        expect(rowIds(res.text).sort()).toEqual((apiRes.body.items as { id: string }[]).map((i) => i.id).sort());
      }
    });

    it('gives the outsider a 404 page', async () => {
      const res = await page('outsider', HUB).expect(404);
      expect(res.text).toContain('Page not found');
      await page('outsider', `${HUB}/live`).expect(404);
    });

    it('sends an anonymous browser to sign in', async () => {
      const res = await request(t.app.getHttpServer()).get(HUB).set('Accept', 'text/html').expect(303);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
    });

    it('reproduces a drill-through view from its URL', async () => {
      const res = await page('owner', `${HUB}?tab=active_stale_attention&environment=fabrikam`).expect(200);
      expect(rowIds(res.text)).toEqual([runs.stale]);
      expect(res.text).toMatch(/data-tab="active_stale_attention" aria-current="page"/);
      // Tabs keep the environment filter.
      expect(attrs(res.text)).toContain(`href="${HUB}?tab=reconciled&environment=fabrikam"`);
      expect(res.text).toContain('Likely stale');
      expect(res.text).toContain(STALE_ACTIVE_GUIDANCE);
      expect(res.text).not.toContain('Waiting for worker.');
      expect(attrs(res.text)).toContain(`data-poll="${HUB}/live?tab=active_stale_attention&environment=fabrikam" data-poll-active="true"`);
    });

    it('shows a likely stale counted run without a bar or percentage, in the hub rows and their live fragment', async () => {
      for (const path of [`${HUB}?tab=active_stale_attention&environment=fabrikam`, `${HUB}/live?tab=active_stale_attention&environment=fabrikam`, HUB]) {
        const res = await page('viewer', path).expect(200);
        expectStaleCountedRow(runRow(res.text, runs.stale));
      }
      const only = await page('viewer', `${HUB}?tab=active_stale_attention&environment=fabrikam`).expect(200);
      expect(only.text).not.toContain('<progress');
      expect(only.text).not.toMatch(PERCENT);
      // A fresh counted run keeps its one label and its bar.
      const fresh = runRow((await page('viewer', HUB).expect(200)).text, runs.counted);
      expect(fresh).toContain('<p class="progress-label">4 / 10 processed (40%)</p>');
      expect(fresh).toMatch(/<progress max="10" value="4"/);
    });

    it('gives every hub row an explicit "Open operation" link to its run page', async () => {
      const res = await page('owner', `${HUB}?tab=active_stale_attention&environment=fabrikam`).expect(200);
      expect(runRow(res.text, runs.stale)).toContain(`<a href="/operations/${runs.stale}" data-testid="open-operation">Open operation</a>`);
      const all = await page('owner', HUB).expect(200);
      expect((all.text.match(/data-testid="open-operation"/g) ?? []).length).toBe(rowIds(all.text).length);
    });

    it('filters by initiator and offers Anyone / Me', async () => {
      const res = await page('owner', `${HUB}?initiator=${scope.userIds.operator}`).expect(200);
      expect(rowIds(res.text)).toEqual([runs.reconciled]);
      expect(res.text).toContain('<option value="">Anyone</option>');
      expect(res.text).toContain(`<option value="${scope.userIds.owner}">Me</option>`);
      expect(res.text).toContain(`<option value="${scope.userIds.operator}" selected>Oscar Operator</option>`);
    });

    it('pages with a keyset cursor and links back to the first page', async () => {
      const first = await page('owner', `${HUB}?limit=2`).expect(200);
      expect(rowIds(first.text)).toEqual([runs.counted, runs.phased]);
      const next = /href="([^"]+)" data-testid="next-page"/.exec(attrs(first.text))?.[1];
      expect(next).toMatch(/^\/w\/contoso-msp\/operations\?limit=2&cursor=/);
      const second = await page('owner', next!).expect(200);
      expect(rowIds(second.text)).toEqual([runs.reconciled, runs.hostile]);
      expect(attrs(second.text)).toContain(`href="${HUB}?limit=2" data-testid="first-page"`);
      expect(first.text).not.toContain('data-testid="first-page"');
    });

    it('never shows a hidden environment to the limited operator', async () => {
      for (const path of [HUB, `${HUB}?tab=terminal_follow_up`, `${HUB}/live`]) {
        const res = await page('operator', path).expect(200);
        expect(res.text).not.toMatch(/northwind/i);
        expect(rowIds(res.text)).not.toContain(runs.northwind);
      }
      const owner = await page('owner', HUB).expect(200);
      expect(owner.text).toContain('value="northwind"'); // the owner does see it: the assertion above can fail
      expect(rowIds(owner.text)).toContain(runs.northwind);
      const hidden = await page('operator', `${HUB}?environment=northwind`).expect(404);
      expect(hidden.text).not.toMatch(/northwind/i);
      await page('operator', `${HUB}/live?environment=northwind`).expect(404);
    });

    it.each([
      ['?status=bogus', 'status must be one of: queued, running, completed'],
      ['?cursor=garbage', 'cursor is not valid'],
      ['?from=2026-13-45', 'from must be a day written YYYY-MM-DD'],
      ['?from=2026-02-30', 'from is not a real calendar day'],
      ['?from=2026-03-02&to=2026-03-01', 'from must be on or before to'],
      ['?type=no.such.type', 'Unknown operation type'],
      ['?tab=everything', 'tab must be one of'],
      ['?colour=blue', 'Unexpected field'],
    ])('answers %s with a 400 page and a clear message', async (query, message) => {
      const res = await page('owner', `${HUB}${query}`).expect(400);
      expect(res.text).toContain(message);
      expect(res.text).toContain('<form class="filters"');
      expect(res.text).not.toMatch(/at [\w.<>]+ \(.*:\d+:\d+\)/);
      await page('owner', `${HUB}/live${query}`).expect(400);
    });

    it('keeps the filter form usable: empty fields are ignored', async () => {
      const res = await page('owner', `${HUB}?environment=&type=&status=&outcome=&initiator=&from=&to=`).expect(200);
      expect(tabCounts(res.text).all).toBe(6);
    });

    it('escapes run text in the list', async () => {
      const res = await page('owner', `${HUB}?tab=reconciled`).expect(200);
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; headline');
      expect(res.text).not.toContain('<script>alert');
    });

    it('polls while something listed is active and stops when nothing is', async () => {
      const active = await page('owner', `${HUB}/live?tab=active`).expect(200);
      expect(active.headers['x-poll-active']).toBe('true');
      expect(active.text).not.toContain('<html');
      expect(tabCounts(active.text).active).toBe(3);
      const done = await page('owner', `${HUB}/live?tab=reconciled`).expect(200);
      expect(done.headers['x-poll-active']).toBe('false');
      const reconciledPage = await page('owner', `${HUB}?tab=reconciled`).expect(200);
      expect(reconciledPage.text).toContain('data-poll-active="false"');
    });
  });

  describe('run detail', () => {
    it.each(MEMBERS)('renders a likely stale run for %s with the cautious guidance', async (persona) => {
      const res = await page(persona, `/operations/${runs.stale}`).expect(200);
      expect(res.text).toContain('<title>Inventory sync · Fabrikam · Opsdeck</title>');
      expect(res.text).toContain('Likely stale');
      expect(res.text).toContain(STALE_ACTIVE_GUIDANCE);
      expect(res.text).not.toContain('Waiting for worker.');
      expect(res.text).toMatch(/<section class="panel decision-zone tone-danger"/);
      expect(res.text.indexOf('decision-zone')).toBeLessThan(res.text.indexOf('Timeline'));
      expect(res.text).toContain('href="/w/contoso-msp/operations"');
      expect(res.text).toContain('href="/w/contoso-msp/e/fabrikam"');
      expect(res.text).toContain(`data-poll="/operations/${runs.stale}/live" data-poll-active="true"`);
    });

    it('opens a likely stale run with the "Likely stale operation" banner above the cautious guidance, and nothing calm', async () => {
      for (const path of [`/operations/${runs.stale}`, `/operations/${runs.stale}/live`]) {
        const html = (await page('viewer', path).expect(200)).text;
        const zone = html.slice(html.indexOf('data-testid="decision-zone"'), html.indexOf('</section>', html.indexOf('data-testid="decision-zone"')));
        expect(zone).toContain('<h2 class="banner" data-testid="banner">Likely stale operation</h2>');
        expect(zone.indexOf('Likely stale operation')).toBeLessThan(zone.indexOf(STALE_ACTIVE_GUIDANCE));
        expect(zone).toContain('No heartbeat within the lifecycle window; the run has not been confirmed as failed.');
        for (const calm of ['Waiting for worker.', 'Progress details pending.']) expect(html).not.toContain(calm);
        expect(html).not.toMatch(PERCENT);
        expect(html).not.toContain('<progress');
        expect(html).toMatch(LAST_REPORTED);
        // One cautious line: the progress panel does not repeat the headline.
        expect(html.split(STALE_ACTIVE_GUIDANCE)).toHaveLength(2);
      }
      const fresh = (await page('viewer', `/operations/${runs.counted}`).expect(200)).text;
      expect(fresh).not.toContain('data-testid="banner"');
    });

    it('gives the API\'s progress of a likely stale counted run no percentage, only what was last reported', async () => {
      const res = await request(t.app.getHttpServer()).get(`/api/v1/operations/${runs.stale}`).set(api.auth('viewer')).expect(200);
      expect(res.body.progress).toEqual({
        mode: 'counted',
        label: STALE_ACTIVE_GUIDANCE,
        last_reported: { processed: 4, total: 10, reported_at: res.body.last_heartbeat_at, label: expect.stringMatching(/^Last reported 4 of 10 processed, 5\d min ago$/) },
      });
      expect(res.body.presentation.banner).toBe('Likely stale operation');
      expect(JSON.stringify(res.body)).not.toMatch(/percent|\d%/);
    });

    it('gives the outsider and unknown or malformed ids a 404', async () => {
      await page('outsider', `/operations/${runs.stale}`).expect(404);
      await page('outsider', `/operations/${runs.stale}/live`).expect(404);
      await page('owner', '/operations/00000000-0000-4000-8000-000000000000').expect(404);
      await page('owner', '/operations/not-a-uuid').expect(404);
    });

    it('gives the limited operator a 404 for a hidden environment run', async () => {
      const res = await page('operator', `/operations/${runs.northwind}`).expect(404);
      expect(res.text).not.toMatch(/northwind/i);
      await page('operator', `/operations/${runs.northwind}/live`).expect(404);
      await page('owner', `/operations/${runs.northwind}`).expect(200);
    });

    it('shows a counted run as N / M with a progress bar', async () => {
      const res = await page('viewer', `/operations/${runs.counted}`).expect(200);
      expect(res.text).toContain('4 / 10');
      expect(res.text).toMatch(/<progress max="10" value="4"/);
      expect(res.text).toContain('Summary counts');
    });

    it('prints a running counted run\'s count once: the headline, then only the bar', async () => {
      for (const path of [`/operations/${runs.counted}`, `/operations/${runs.counted}/live`]) {
        const html = (await page('viewer', path).expect(200)).text;
        expect(html.match(/4 \/ 10/g)).toEqual(['4 / 10']);
        expect(html).toContain('<p class="headline" data-testid="headline">4 / 10 processed (40%)</p>');
        expect(html).toMatch(/<progress max="10" value="4" aria-label="4 of 10 processed"><\/progress>/);
      }
    });

    it('shows a phased run with its phase and no percentage', async () => {
      const res = await page('operator', `/operations/${runs.phased}`).expect(200);
      expect(res.text).toContain('<title>Baseline compare · Fabrikam · Opsdeck</title>');
      expect(res.text).toContain('<li aria-current="step">Comparing settings</li>');
      expect(res.text).toContain('<li class="done">Loading baseline snapshot</li>');
      expect(res.text).not.toContain('<progress');
      expect(res.text).not.toMatch(/\d+%/);
    });

    it('shows the reconciliation block of a reconciled run', async () => {
      const res = await page('viewer', `/operations/${runs.reconciled}`).expect(200);
      expect(res.text).toContain('data-testid="reconciliation"');
      expect(res.text).toContain('stale_running');
      expect(res.text).toContain('the lifecycle reconciler');
      expect(res.text).toMatch(/Previous status<\/dt><dd>running \/ pending/);
      expect(res.text).toContain('data-poll-active="false"');
      const stale = await page('viewer', `/operations/${runs.stale}`).expect(200);
      expect(stale.text).not.toContain('data-testid="reconciliation"');
    });

    it('shows diagnostics to the owner only', async () => {
      const owner = await page('owner', `/operations/${runs.hostile}`).expect(200);
      expect(owner.text).toContain('<summary>Diagnostics</summary>');
      expect(owner.text).toContain('TypeError');
      for (const persona of ['viewer', 'operator'] as DemoUserKey[]) {
        const res = await page(persona, `/operations/${runs.hostile}`).expect(200);
        expect(res.text).not.toContain('Diagnostics');
        expect(res.text).not.toContain('TypeError');
        expect(res.text).not.toContain('alert(4)');
      }
    });

    it('escapes headline, failures, reconciliation and diagnostics text', async () => {
      const res = await page('owner', `/operations/${runs.hostile}`).expect(200);
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; headline');
      expect(res.text).toContain('&lt;script&gt;alert(2)&lt;/script&gt; failure');
      expect(res.text).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
      expect(res.text).toContain('&lt;script&gt;alert(4)&lt;/script&gt; raw');
      expect(res.text).not.toContain('<script>alert');
    });

    it('answers the live fragment with X-Poll-Active while active and false when terminal', async () => {
      const active = await page('operator', `/operations/${runs.phased}/live`).expect(200);
      expect(active.headers['x-poll-active']).toBe('true');
      expect(active.text).toContain('Comparing settings');
      expect(active.text).toContain('Timeline');
      expect(active.text).not.toContain('<html');
      const terminal = await page('viewer', `/operations/${runs.reconciled}/live`).expect(200);
      expect(terminal.headers['x-poll-active']).toBe('false');
      expect(terminal.text).toContain('data-testid="decision-zone"');
    });
  });
});
