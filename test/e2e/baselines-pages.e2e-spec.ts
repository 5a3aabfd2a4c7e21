import request from 'supertest';
import { SECRET_MASK } from '../../src/modules/baselines/core/baseline-rules';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { hiddenField, signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitForCompletedRun } from '../support/test-app';

type Who = 'owner' | 'operator' | 'viewer' | 'outsider';

/**
 * Baseline pages over HTTP with the real worker: the profile list and form (validation beside
 * fields, kept values, 403/404 like the API), a profile page whose capture/compare forms start
 * real runs, the snapshot page, and a compare result whose findings are filtered, paged and show
 * secrets only masked. Hidden environments (northwind for the operator) appear nowhere.
 */
describe('baseline pages', () => {
  let t: TestApp;
  let scope: DemoScope;
  let runs: OperationRunService;
  const cookies = {} as Record<Who, string>;
  let profileId: string;
  let snapshotId: string;
  let resultId: string;
  let northwindResultId: string;
  const WS = '/w/contoso-msp';
  const BASE = `${WS}/baselines`;
  const EVIL = '<script>alert(1)</script> baseline';
  const server = () => t.app.getHttpServer();

  const page = (who: Who, path: string) => request(server()).get(path).set('Cookie', cookies[who]).set('Accept', 'text/html');

  async function csrf(who: Who): Promise<string> {
    // Any page with the layout carries the session's token; the outsider's own workspace for them.
    const res = await page(who, who === 'outsider' ? '/w/tailspin-msp/baselines' : BASE);
    const token = hiddenField(res.text, '_csrf');
    if (!token) throw new Error(`no _csrf for ${who}`);
    return token;
  }

  /** Posts a urlencoded form (repeated fields for lists) with the session's CSRF token; asserts the status. */
  async function post(who: Who, path: string, form: Record<string, string | string[]>, status: number): Promise<request.Response> {
    const token = await csrf(who);
    return request(server())
      .post(path)
      .set('Cookie', cookies[who])
      .set('Accept', 'text/html')
      .type('form')
      .send(urlencoded({ _csrf: token, ...form }))
      .expect(status);
  }

  async function sync(env: string): Promise<void> {
    const { run } = await runs.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds[env],
      type: 'inventory.sync',
      initiatorUserId: null,
    });
    expect((await waitForCompletedRun(runs, run.id)).outcome).toBe('succeeded');
  }

  /** A VPN profile whose pre-shared key differs between environments (a secret setting in config/baselines.json). */
  async function plantSecret(env: string, key: string): Promise<void> {
    await t.db.query(
      `insert into inventory_items (environment_id, kind, external_id, display_name, settings, content_hash)
       values ($1, 'deviceConfiguration', 'vpn-secret-1', 'Pages test VPN', $2::jsonb, md5($3))`,
      [scope.environmentIds[env], JSON.stringify({ preSharedKey: key, connectionName: 'HQ VPN' }), key],
    );
  }

  /** Repeated fields for lists, as a browser sends a checkbox group. */
  const urlencoded = (form: Record<string, string | string[]>): string =>
    new URLSearchParams(
      Object.entries(form).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, v])),
    ).toString();

  const startedRunId = (location: string) => new URL(location, 'http://x').searchParams.get('started')!;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    runs = t.get<OperationRunService>(OperationRunService);
    for (const who of ['owner', 'operator', 'viewer', 'outsider'] as Who[]) {
      cookies[who] = await signInAs(t, DEMO_USERS.find((u) => u.key === who)!.email, scope.password);
    }
    await sync('contoso-hq');
    await sync('fabrikam');
    await plantSecret('contoso-hq', 'hunter2-baseline-secret');
    await plantSecret('fabrikam', 'hunter2-current-secret');
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('profile list and form', () => {
    it('offers "New profile" only to those who may manage baselines; outsiders get 404', async () => {
      const owner = await page('owner', BASE).expect(200);
      expect(owner.text).toContain(`href="${BASE}/new"`);
      for (const who of ['operator', 'viewer'] as Who[]) {
        const res = await page(who, BASE).expect(200);
        expect(res.text).not.toContain('New profile');
        expect(res.text).not.toContain(`${BASE}/new`);
      }
      await page('outsider', BASE).expect(404);
      await page('operator', `${BASE}/new`).expect(403);
      await page('viewer', `${BASE}/new`).expect(403);
      await page('outsider', `${BASE}/new`).expect(404);
    });

    it('lists every visible environment as a source in the create form', async () => {
      const res = await page('owner', `${BASE}/new`).expect(200);
      for (const slug of ['contoso-hq', 'fabrikam', 'northwind']) expect(res.text).toContain(`<option value="${slug}"`);
      expect(res.text).toContain('name="policy_kinds" value="deviceConfiguration"');
    });

    it('shows validation errors beside the fields with status 400 and keeps the values', async () => {
      const empty = await post('owner', BASE, { name: '', source_environment: 'fabrikam', policy_kinds: ['compliancePolicy', 'deviceConfiguration'] }, 400);
      expect(empty.text).toMatch(/<p class="field-error" id="name-error">name must not be empty<\/p>/);
      expect(empty.text).toContain('aria-describedby="name-error"');
      expect(empty.text).toContain('<option value="fabrikam" selected>');
      expect(empty.text).toContain('value="compliancePolicy" checked');
      expect(empty.text).toContain('value="deviceConfiguration" checked');

      const blank = await post('owner', BASE, { name: '   ', source_environment: 'contoso-hq' }, 400);
      expect(blank.text).toContain('id="name-error">name must not be empty');

      const unknown = await post('owner', BASE, { name: 'Kept name', source_environment: 'contoso-hq', policy_kinds: 'bogusKind' }, 400);
      expect(unknown.text).toContain('<p class="field-error" id="policy_kinds-error">Unknown policy kind &quot;bogusKind&quot;.</p>');
      expect(unknown.text).toContain('value="Kept name"');
      expect(unknown.text).not.toContain('id="name-error"');

      const source = await post('owner', BASE, { name: 'No source', source_environment: 'nowhere' }, 400);
      expect(source.text).toContain('id="source_environment-error">Environment &quot;nowhere&quot; was not found.');
      const rows = await t.db.query(`select id from baseline_profiles`);
      expect(rows).toHaveLength(0);
    });

    it('creates a profile (owner), escapes its name in the list, and refuses others like the API', async () => {
      const created = await post('owner', BASE, { name: EVIL, source_environment: 'contoso-hq' }, 303);
      const match = new RegExp(`^${BASE}/([0-9a-f-]{36})\\?saved=created$`).exec(created.headers.location);
      expect(match).not.toBeNull();
      profileId = match![1];
      const shown = await page('owner', created.headers.location).expect(200);
      expect(shown.text).toContain('Baseline profile created.');

      for (const who of ['owner', 'operator', 'viewer'] as Who[]) {
        const list = await page(who, BASE).expect(200);
        expect(list.text).toContain(`href="${BASE}/${profileId}"`);
        expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; baseline');
        expect(list.text).not.toContain('<script>alert');
      }
      await post('operator', BASE, { name: 'Operator profile', source_environment: 'contoso-hq' }, 403);
      await post('viewer', BASE, { name: 'Viewer profile', source_environment: 'contoso-hq' }, 403);
      await post('outsider', `${BASE}`, { name: 'Outsider profile', source_environment: 'contoso-hq' }, 404);
      // Names are unique per source environment (no name oracle across sources).
      const duplicate = await post('owner', BASE, { name: EVIL.toUpperCase(), source_environment: 'contoso-hq' }, 409);
      expect(duplicate.text).toContain('id="name-error"');
    });

    it('edits a profile: one checked kind arrives as a one-element list; errors stay beside fields', async () => {
      const form = await page('owner', `${BASE}/${profileId}/edit`).expect(200);
      expect(form.text).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt; baseline"');
      expect(form.text).not.toContain('name="source_environment"');
      await page('operator', `${BASE}/${profileId}/edit`).expect(403);
      await page('viewer', `${BASE}/${profileId}/edit`).expect(403);
      await page('outsider', `${BASE}/${profileId}/edit`).expect(404);

      const one = await post('owner', `${BASE}/${profileId}`, { name: EVIL, policy_kinds: 'deviceConfiguration' }, 303);
      expect(one.headers.location).toBe(`${BASE}/${profileId}?saved=updated`);
      const [row] = await t.db.query<{ policy_kinds: string[] }>(`select policy_kinds from baseline_profiles where id = $1`, [profileId]);
      expect(row.policy_kinds).toEqual(['deviceConfiguration']);

      const bad = await post('owner', `${BASE}/${profileId}`, { name: '', policy_kinds: ['deviceConfiguration', 'nope'] }, 400);
      expect(bad.text).toContain('id="name-error">name must not be empty');
      expect(bad.text).toContain('value="deviceConfiguration" checked');

      await post('operator', `${BASE}/${profileId}`, { name: 'Renamed' }, 403);
      await post('viewer', `${BASE}/${profileId}`, { name: 'Renamed' }, 403);
      await post('outsider', `${BASE}/${profileId}`, { name: 'Renamed' }, 404);

      // Back to every kind (no box checked), so the compare below covers all kinds.
      await post('owner', `${BASE}/${profileId}`, { name: EVIL }, 303);
      const [after] = await t.db.query<{ policy_kinds: string[]; name: string }>(`select name, policy_kinds from baseline_profiles where id = $1`, [profileId]);
      expect(after).toEqual({ name: EVIL, policy_kinds: [] });
    });

    it('hides a profile whose source the operator may not see', async () => {
      const created = await post('owner', BASE, { name: 'Northwind baseline', source_environment: 'northwind' }, 303);
      const northwindProfile = /baselines\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
      expect((await page('owner', BASE)).text).toContain('Northwind baseline');
      const list = await page('operator', BASE).expect(200);
      expect(list.text).not.toContain('Northwind');
      expect(list.text).not.toContain(northwindProfile);
      await page('operator', `${BASE}/${northwindProfile}`).expect(404);
      await page('outsider', `${BASE}/${profileId}`).expect(404);
      await page('owner', `${BASE}/00000000-0000-4000-8000-000000000000`).expect(404);
      await page('owner', `${BASE}/not-a-uuid`).expect(404);
    });
  });

  describe('capture, compare and results', () => {
    it('gates the actions by capability, with a reason', async () => {
      const viewer = await page('viewer', `${BASE}/${profileId}`).expect(200);
      expect(viewer.text).toMatch(/<button type="submit" disabled aria-describedby="capture-reason">Capture baseline<\/button>/);
      expect(viewer.text).toContain('it needs the &quot;baselines.capture&quot; capability');
      expect(viewer.text).toContain('it needs the &quot;baselines.compare&quot; capability');
      expect(viewer.text).not.toContain('Edit profile');

      const operator = await page('operator', `${BASE}/${profileId}`).expect(200);
      expect(operator.text).toMatch(/<button type="submit">Capture baseline<\/button>/);
      // No snapshot yet: compare explains why it cannot run.
      expect(operator.text).toContain('Capture a baseline first');
      expect(operator.text).toContain('<option value="fabrikam">');
      expect(operator.text).not.toContain('value="northwind"');
      expect(operator.text).not.toContain('Northwind');
      const owner = await page('owner', `${BASE}/${profileId}`).expect(200);
      expect(owner.text).toContain('<option value="northwind">');
      expect(owner.text).toContain(`href="${BASE}/${profileId}/edit"`);
    });

    it('captures from the profile page: feedback, then the snapshot with its run', async () => {
      const self = `${BASE}/${profileId}`;
      const res = await post('owner', `${WS}/e/contoso-hq/operations`, {
        type: 'baseline.capture',
        baseline_id: profileId,
        return_to: self,
      }, 303);
      expect(res.headers.location).toMatch(new RegExp(`^${self}\\?started=[0-9a-f-]{36}&created=1$`));
      const runId = startedRunId(res.headers.location);
      const back = await page('owner', res.headers.location).expect(200);
      expect(back.text).toContain(`Baseline capture queued — <a href="/operations/${runId}">View run</a>`);

      const run = await waitForCompletedRun(runs, runId);
      expect(run.outcome).toBe('succeeded');
      snapshotId = (run.context.related as { id: string }).id;
      const detail = await page('operator', self).expect(200);
      expect(detail.text).toContain(`href="${BASE}/snapshots/${snapshotId}"`);
      expect(detail.text).not.toContain('Capture a baseline first');

      const snapshot = await page('operator', `${BASE}/snapshots/${snapshotId}`).expect(200);
      expect(snapshot.text).toContain('<dd data-testid="snapshot-items">43</dd>');
      expect(snapshot.text).toContain(`href="/operations/${runId}"`);
      expect(snapshot.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; baseline');
      expect(snapshot.text).not.toContain('<script>alert');
      await page('outsider', `${BASE}/snapshots/${snapshotId}`).expect(404);
      await page('owner', `${BASE}/snapshots/not-a-uuid`).expect(404);

      const list = await page('viewer', BASE).expect(200);
      expect(list.text).toContain(`href="${BASE}/snapshots/${snapshotId}"`);
    });

    it('compares from the profile page: the environment select is carried to the start endpoint', async () => {
      const self = `${BASE}/${profileId}`;
      const form = { type: 'baseline.compare', baseline_id: profileId, return_to: self, environment: 'fabrikam' };
      const hop = await post('operator', `${self}/compare`, form, 307);
      expect(hop.headers.location).toBe(`${WS}/e/fabrikam/operations`);
      const res = await post('operator', hop.headers.location, form, 303);
      const runId = startedRunId(res.headers.location);
      const run = await waitForCompletedRun(runs, runId);
      expect(run.outcome).toBe('succeeded');
      resultId = (run.context.related as { id: string }).id;
      const detail = await page('operator', self).expect(200);
      expect(detail.text).toContain(`href="${BASE}/compare-results/${resultId}"`);
      const list = await page('viewer', BASE).expect(200);
      expect(list.text).toContain(`href="${BASE}/compare-results/${resultId}"`);
    });

    it('shows the findings with secrets masked, never the secret values', async () => {
      const res = await page('operator', `${BASE}/compare-results/${resultId}`).expect(200);
      const rows = res.text.match(/data-finding-type="/g) ?? [];
      expect(rows).toHaveLength(6); // the fixture drift (5) + the planted VPN key change
      expect(res.text).toContain('<dd data-testid="findings-count">6</dd>');
      expect(res.text).toContain(`<code>preSharedKey</code>: <span class="before">${SECRET_MASK}</span> → <span class="after">${SECRET_MASK}</span>`);
      expect(res.text).not.toContain('hunter2');
      expect(res.text).toContain('Pages test VPN');
      expect(res.text).toContain('Missing in target');
      expect(res.text).toMatch(/href="\/operations\/[0-9a-f-]{36}"/);
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; baseline');
      expect(res.text).not.toContain('<script>alert');
    });

    it('filters findings by type and policy kind, and pages them', async () => {
      const path = `${BASE}/compare-results/${resultId}`;
      const types = (html: string) => [...html.matchAll(/data-finding-type="([a-z_]+)"/g)].map((m) => m[1]);
      const differs = await page('owner', `${path}?type=setting_differs`).expect(200);
      expect(types(differs.text)).toEqual(['setting_differs', 'setting_differs', 'setting_differs', 'setting_differs']);
      expect(differs.text).toContain('<option value="setting_differs" selected>');
      const kind = await page('owner', `${path}?type=&kind=conditionalAccessPolicy`).expect(200);
      const kinds = [...kind.text.matchAll(/data-finding-kind="([A-Za-z]+)"/g)].map((m) => m[1]);
      expect(kinds.length).toBeGreaterThan(0);
      expect(new Set(kinds)).toEqual(new Set(['conditionalAccessPolicy']));
      expect(types(kind.text)).toContain('missing_in_target');
      const both = await page('owner', `${path}?type=missing_in_target&kind=conditionalAccessPolicy`).expect(200);
      expect(types(both.text)).toEqual(['missing_in_target']);
      expect(kind.text).toContain('<option value="conditionalAccessPolicy" selected>');

      const seen: string[] = [];
      let next: string | null = `${path}?limit=2`;
      let pages = 0;
      while (next) {
        const res: request.Response = await page('owner', next).expect(200);
        seen.push(...[...res.text.matchAll(/data-finding-id="([0-9a-f-]{36})"/g)].map((m) => m[1]));
        next = /<a href="([^"]+)" rel="next">/.exec(res.text)?.[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') ?? null;
        if (pages > 0) expect(res.text).toContain('rel="first"');
        pages++;
      }
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(6);
      await page('owner', `${path}?type=bogus`).expect(400);
      await page('owner', `${path}?cursor=garbage`).expect(400);
    });

    it('answers 404 for a compare of an environment the user may not see', async () => {
      // northwind's 3000-item fixture is slow to sync: a recorded successful sync (no items) will do.
      await insertRunRow(t.db, {
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds.northwind,
        type: 'inventory.sync',
        status: 'completed',
        outcome: 'succeeded',
      });
      const { run } = await runs.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds.northwind,
        type: 'baseline.compare',
        input: { baseline_id: profileId },
        initiatorUserId: null,
      });
      const done = await waitForCompletedRun(runs, run.id);
      northwindResultId = (done.context.related as { id: string }).id;
      await page('owner', `${BASE}/compare-results/${northwindResultId}`).expect(200);
      await page('operator', `${BASE}/compare-results/${northwindResultId}`).expect(404);
      await page('outsider', `${BASE}/compare-results/${resultId}`).expect(404);
      await page('owner', `${BASE}/compare-results/not-a-uuid`).expect(404);
      const detail = await page('operator', `${BASE}/${profileId}`).expect(200);
      expect(detail.text).not.toContain(northwindResultId);
      expect(detail.text).not.toContain('Northwind');
      const list = await page('operator', BASE).expect(200);
      expect(list.text).not.toContain(northwindResultId);
      expect(list.text).toContain(`href="${BASE}/compare-results/${resultId}"`);
    });
  });
});
