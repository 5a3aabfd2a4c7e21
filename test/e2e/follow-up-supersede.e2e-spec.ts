import request from 'supertest';
import { DEMO_USERS, DemoUserKey } from '../../src/cli/demo-seed';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertFinishedNoopRun } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../support/test-handlers';

/**
 * Issue 14 items 4 and 5 over HTTP, with a real worker: a failed, blocked or partially succeeded
 * run leaves Needs follow-up (tab, count, workspace KPI, `problem_class`) once a later success of
 * the same work completes, stays in All, and its page links to that success; a later failure is
 * follow-up again. The `problem_class` filter narrows the API and the hub with every other
 * filter, the hub URL reproduces it, and a limited member's numbers never move because of work
 * in an environment they cannot see.
 */

const OPS = '/api/v1/workspaces/contoso-msp/operations';
const HUB = '/w/contoso-msp/operations';
type Persona = 'owner' | 'operator';

describe('Needs follow-up clears when a later success supersedes; problem_class filter (HTTP, real worker)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  const cookies = {} as Record<Persona, string>;
  const server = () => t.app.getHttpServer();
  const api = (persona: Persona, path: string) => request(server()).get(path).set(personas.auth(persona));
  const page = (persona: Persona, path: string) => request(server()).get(path).set('Cookie', cookies[persona]).set('Accept', 'text/html');

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'], extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    for (const key of ['owner', 'operator'] as const) {
      cookies[key] = await signInAs(t, DEMO_USERS.find((u) => u.key === (key as DemoUserKey))!.email, scope.password);
    }
  });
  afterAll(() => t?.close());

  /** A finished `test.noop` {n} run of an earlier deploy (the fingerprint a start of {n} computes). */
  async function leftBehind(environment: string | null, n: number, outcome: string, completedAgoS = 60): Promise<string> {
    const environmentId = environment ? scope.environmentIds[environment] : null;
    return insertFinishedNoopRun(t.db, { workspaceId: scope.workspaceId, environmentId, n, outcome, completedAgoS });
  }

  /** Starts `test.noop` {n} through the API as the owner and waits for the worker's success. */
  async function succeed(environment: string, n: number): Promise<string> {
    const res = await request(server())
      .post(`/api/v1/workspaces/contoso-msp/environments/${environment}/operations`)
      .set(personas.auth('owner'))
      .send({ type: 'test.noop', input: { n } })
      .expect(202);
    const id = res.body.run.id as string;
    for (let i = 0; i < 200; i++) {
      const run = await api('owner', `/api/v1/operations/${id}`).expect(200);
      if (run.body.status === 'completed') {
        expect(run.body.outcome).toBe('succeeded');
        return id;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${id} did not complete`);
  }

  const counts = async (persona: Persona, query = '') => (await api(persona, `${OPS}?limit=200&${query}`).expect(200)).body.counts;
  const tabCount = (html: string, tab: string) => Number(new RegExp(`data-testid="tab-count-${tab}">(\\d+)<`).exec(html)?.[1]);
  const kpi = (html: string, key: string) => Number(new RegExp(`data-kpi="${key}"><a href="[^"]+"><span class="kpi-value">(\\d+)<`).exec(html)?.[1]);

  let fabrikamFailed: string;
  let fabrikamBlocked: string;
  let hqFailed: string;
  let northwindFailed: string;
  let failedAgain: string;

  it('a later success takes its work\'s follow-up runs out of Needs follow-up — tab, counts, KPI, problem class — but not out of All', async () => {
    fabrikamFailed = await leftBehind('fabrikam', 1, 'failed');
    fabrikamBlocked = await leftBehind('fabrikam', 1, 'blocked');
    hqFailed = await leftBehind('contoso-hq', 2, 'partially_succeeded');
    northwindFailed = await leftBehind('northwind', 3, 'failed');
    await leftBehind(null, 4, 'failed');
    expect(await counts('owner')).toMatchObject({ all: 5, terminal_follow_up: 5 });
    expect(await counts('operator')).toMatchObject({ all: 3, terminal_follow_up: 3 });

    const success = await succeed('fabrikam', 1);
    expect(await counts('owner')).toMatchObject({ all: 6, terminal_follow_up: 3 });
    expect(await counts('operator')).toMatchObject({ all: 4, terminal_follow_up: 1 });
    const followUp = await api('owner', `${OPS}?tab=terminal_follow_up`).expect(200);
    expect(followUp.body.items.map((r: { id: string }) => r.id)).not.toEqual(expect.arrayContaining([fabrikamFailed]));

    for (const id of [fabrikamFailed, fabrikamBlocked]) {
      const run = (await api('owner', `/api/v1/operations/${id}`).expect(200)).body;
      expect(run).toMatchObject({ problem_class: 'none', status: 'completed' });
      expect(run.presentation.links.superseded_by).toBe(`/operations/${success}`);
      const html = (await page('operator', `/operations/${id}`).expect(200)).text;
      expect(html).toContain(`<a href="/operations/${success}">Superseded by a later successful run</a>`);
    }
    const hub = (await page('owner', HUB).expect(200)).text;
    expect([tabCount(hub, 'all'), tabCount(hub, 'terminal_follow_up')]).toEqual([6, 3]);
    const overview = (await page('operator', '/w/contoso-msp').expect(200)).text;
    expect(kpi(overview, 'terminal_follow_up')).toBe(1);
  });

  it('a limited member\'s numbers do not move when work they cannot see is superseded', async () => {
    const before = await counts('operator');
    const beforeFiltered = await counts('operator', 'problem_class=terminal_follow_up');
    await succeed('northwind', 3);
    expect((await api('owner', `/api/v1/operations/${northwindFailed}`).expect(200)).body.problem_class).toBe('none');
    expect(await counts('owner')).toMatchObject({ all: 7, terminal_follow_up: 2 });
    expect(await counts('operator')).toEqual(before);
    expect(await counts('operator', 'problem_class=terminal_follow_up')).toEqual(beforeFiltered);
    const overview = (await page('operator', '/w/contoso-msp').expect(200)).text;
    expect(kpi(overview, 'terminal_follow_up')).toBe(1);
  });

  it('a failure after the success needs follow-up again; the runs it superseded stay cleared', async () => {
    failedAgain = await leftBehind('fabrikam', 1, 'failed', 0);
    expect(await counts('operator')).toMatchObject({ terminal_follow_up: 2 });
    expect((await api('operator', `/api/v1/operations/${failedAgain}`).expect(200)).body.problem_class).toBe('terminal_follow_up');
    expect((await api('operator', `/api/v1/operations/${fabrikamFailed}`).expect(200)).body.problem_class).toBe('none');
  });

  it('the API filters by problem_class, combined with environment, type and tab, counts included', async () => {
    const all = (await api('owner', `${OPS}?limit=200`).expect(200)).body.items as { id: string; problem_class: string; environment: { slug: string } | null; type: string }[];
    for (const problemClass of ['none', 'terminal_follow_up'] as const) {
      const expected = all.filter((r) => r.problem_class === problemClass && r.environment?.slug === 'fabrikam' && r.type === 'test.noop');
      expect(expected.length).toBeGreaterThan(0);
      const res = await api('owner', `${OPS}?problem_class=${problemClass}&environment=fabrikam&type=test.noop&limit=200`).expect(200);
      expect(res.body.items.map((r: { id: string }) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
      expect(res.body.counts.all).toBe(expected.length);
      expect(res.body.counts.terminal_follow_up).toBe(problemClass === 'terminal_follow_up' ? expected.length : 0);
    }
    // With a tab: the tab's runs of that class (Needs follow-up ∩ none is empty, not an error).
    const none = await api('owner', `${OPS}?problem_class=none&tab=terminal_follow_up`).expect(200);
    expect(none.body.items).toEqual([]);
    const scoped = await api('operator', `${OPS}?problem_class=terminal_follow_up&limit=200`).expect(200);
    // The operator's: never the workspace-level run or northwind's, in items or counts.
    expect(scoped.body.items.map((r: { id: string }) => r.id).sort()).toEqual([hqFailed, failedAgain].sort());
    expect(scoped.body.counts).toMatchObject({ all: 2, terminal_follow_up: 2 });
    const repeated = await api('owner', `${OPS}?problem_class=none&problem_class=reconciled`);
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.message).toMatch(/problem_class must be one of: none, active_stale_attention, terminal_follow_up, reconciled/);
  });

  it('the hub page filters by problem class, shows it selected, and every tab and page link carries it', async () => {
    const res = await page('owner', `${HUB}?environment=fabrikam&problem_class=terminal_follow_up&limit=1`).expect(200);
    expect(res.text).toMatch(/<select name="problem_class"[^>]*>[\s\S]*<option value="terminal_follow_up" selected>Needs follow-up<\/option>/);
    expect([tabCount(res.text, 'all'), tabCount(res.text, 'terminal_follow_up'), tabCount(res.text, 'reconciled')]).toEqual([1, 1, 0]);
    const tabLinks = [...res.text.matchAll(/href="([^"]+)" data-tab="/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
    expect(tabLinks).toHaveLength(5);
    for (const href of tabLinks) expect(href).toContain('environment=fabrikam&problem_class=terminal_follow_up');
    expect(tabLinks).toContain(`${HUB}?tab=terminal_follow_up&environment=fabrikam&problem_class=terminal_follow_up&limit=1`);
    // The URL reproduces the view: the same answer as the API with the same filters.
    const viaApi = await api('owner', `${OPS}?environment=fabrikam&problem_class=terminal_follow_up&limit=1`).expect(200);
    expect(res.text).toContain(`/operations/${viaApi.body.items[0].id}`);
    const paged = (await page('owner', `${HUB}?environment=fabrikam&problem_class=none&limit=1`).expect(200)).text;
    const next = /href="([^"]+)" data-testid="next-page"/.exec(paged)?.[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(next).toMatch(new RegExp(`^${HUB}\\?environment=fabrikam&problem_class=none&limit=1&cursor=`));
    const bad = await page('owner', `${HUB}?problem_class=stale`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('problem_class must be one of');
  });
});
