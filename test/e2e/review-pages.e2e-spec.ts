import request from 'supertest';
import {
  BASELINE_PROFILE_REPOSITORY,
  BaselineProfileRepository,
} from '../../src/modules/baselines/core/ports/baseline-profile.repository.port';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { issueDemoTokens } from '../support/api-personas';
import { hiddenField, signInAs } from '../support/browser-session';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitForCompletedRun } from '../support/test-app';

type Who = 'owner' | 'operator' | 'viewer' | 'outsider';

/**
 * Review pages over HTTP with the real worker: the workspace-wide list, an environment's list with
 * the compose action, a review rendered from its structured sections (escaped; the Markdown is
 * never rendered as HTML) and the Markdown download, which matches the API's. Northwind is
 * hidden from the operator: absent from the lists, 404 for its reviews and their downloads.
 */
describe('review pages', () => {
  let t: TestApp;
  let scope: DemoScope;
  let runs: OperationRunService;
  const cookies = {} as Record<Who, string>;
  let fabrikamReviewId: string;
  let northwindReviewId: string;
  let compareResultId: string;
  const WS = '/w/contoso-msp';
  const EVIL = '<script>alert(1)</script> [baseline] *v1*';
  const server = () => t.app.getHttpServer();
  const page = (who: Who, path: string) => request(server()).get(path).set('Cookie', cookies[who]).set('Accept', 'text/html');

  async function dispatch(env: string, type: string, input?: unknown): Promise<OperationRun> {
    const { run } = await runs.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds[env],
      type,
      input,
      initiatorUserId: null,
    });
    const done = await waitForCompletedRun(runs, run.id);
    expect(done.outcome).toBe('succeeded');
    return done;
  }

  const relatedId = (run: OperationRun) => (run.context.related as { id: string }).id;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    runs = t.get<OperationRunService>(OperationRunService);
    for (const who of ['owner', 'operator', 'viewer', 'outsider'] as Who[]) {
      cookies[who] = await signInAs(t, DEMO_USERS.find((u) => u.key === who)!.email, scope.password);
    }
    for (const env of ['contoso-hq', 'fabrikam']) await dispatch(env, 'inventory.sync');
    const profile = await t.get<BaselineProfileRepository>(BASELINE_PROFILE_REPOSITORY).create({
      workspaceId: scope.workspaceId,
      name: EVIL,
      sourceEnvironmentId: scope.environmentIds['contoso-hq'],
      policyKinds: [],
    });
    await dispatch('contoso-hq', 'baseline.capture', { baseline_id: profile.id });
    compareResultId = relatedId(await dispatch('fabrikam', 'baseline.compare', { baseline_id: profile.id }));
    fabrikamReviewId = relatedId(await dispatch('fabrikam', 'environment.review.compose'));
    northwindReviewId = relatedId(await dispatch('northwind', 'environment.review.compose'));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the reviews of every visible environment, newest first, each environment linking to its list', async () => {
    const owner = await page('owner', `${WS}/reviews`).expect(200);
    const ids = [...owner.text.matchAll(/data-review-id="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).toEqual([northwindReviewId, fabrikamReviewId]);
    expect(owner.text).toContain(`href="${WS}/e/fabrikam/reviews/${fabrikamReviewId}"`);
    expect(owner.text).toContain(`href="${WS}/e/northwind/reviews"`);
    expect(owner.text).toContain(`href="${WS}/e/contoso-hq/reviews"`);

    const operator = await page('operator', `${WS}/reviews`).expect(200);
    expect(operator.text).toContain(`href="${WS}/e/fabrikam/reviews/${fabrikamReviewId}"`);
    expect(operator.text).not.toContain(northwindReviewId);
    expect(operator.text).not.toContain('northwind');
    expect(operator.text).not.toContain('Northwind');

    await page('viewer', `${WS}/reviews`).expect(200);
    await page('outsider', `${WS}/reviews`).expect(404);
  });

  it("lists one environment's reviews; hidden and foreign environments answer 404", async () => {
    const res = await page('viewer', `${WS}/e/fabrikam/reviews`).expect(200);
    expect(res.text).toContain(`href="${WS}/e/fabrikam/reviews/${fabrikamReviewId}"`);
    expect(res.text).not.toContain(northwindReviewId);
    await page('operator', `${WS}/e/northwind/reviews`).expect(404);
    await page('outsider', `${WS}/e/fabrikam/reviews`).expect(404);
    await page('owner', `${WS}/e/nowhere/reviews`).expect(404);
  });

  it('renders the review from its sections, escaped, with links to the evidence and the download', async () => {
    const res = await page('operator', `${WS}/e/fabrikam/reviews/${fabrikamReviewId}`).expect(200);
    for (const heading of ['Baseline drift', 'Operations health', 'Inventory coverage']) {
      expect(res.text).toMatch(new RegExp(`<h2 id="section-[a-z_]+">${heading}</h2>`));
    }
    expect(res.text).toContain('data-section="baseline_drift" data-section-state="ready"');
    expect(res.text).toContain(`href="${WS}/baselines/compare-results/${compareResultId}"`);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; [baseline] *v1*');
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('Setting differs');
    expect(res.text).toContain('Inventory sync');
    // Structured sections, not Markdown turned into HTML (nor raw Markdown headings).
    expect(res.text).not.toMatch(/^#+ /m);
    expect(res.text).toContain(`href="${WS}/e/fabrikam/reviews/${fabrikamReviewId}.md"`);
    expect(res.text).toContain('Download Markdown');
    await page('outsider', `${WS}/e/fabrikam/reviews/${fabrikamReviewId}`).expect(404);
    await page('owner', `${WS}/e/contoso-hq/reviews/${fabrikamReviewId}`).expect(404);
    await page('owner', `${WS}/e/fabrikam/reviews/not-a-uuid`).expect(404);
  });

  it('shows missing evidence with its explanation', async () => {
    const res = await page('owner', `${WS}/e/northwind/reviews/${northwindReviewId}`).expect(200);
    expect(res.text).toContain('data-section="baseline_drift" data-section-state="missing"');
    expect(res.text).toContain('No baseline compare finished in this period.');
    await page('operator', `${WS}/e/northwind/reviews/${northwindReviewId}`).expect(404);
    await page('operator', `${WS}/e/northwind/reviews/${northwindReviewId}.md`).expect(404);
  });

  it('downloads the Markdown as an attachment, the same document as the API', async () => {
    const res = await page('viewer', `${WS}/e/fabrikam/reviews/${fabrikamReviewId}.md`).expect(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="review-fabrikam-\d{4}-\d{2}\.md"$/);
    const personas = await issueDemoTokens(t.db, scope);
    const api = await request(server())
      .get(`/api/v1/workspaces/contoso-msp/environments/fabrikam/reviews/${fabrikamReviewId}.md`)
      .set(personas.auth('viewer'))
      .expect(200);
    expect(res.text).toBe(api.text);
    await page('outsider', `${WS}/e/fabrikam/reviews/${fabrikamReviewId}.md`).expect(404);
  });

  it('offers composing to those who may, and announces the queued run on return', async () => {
    const viewer = await page('viewer', `${WS}/e/fabrikam/reviews`).expect(200);
    expect(viewer.text).toMatch(/<button type="submit" disabled aria-describedby="compose-reason">/);
    expect(viewer.text).toContain('it needs the &quot;reviews.compose&quot; capability');

    const operator = await page('operator', `${WS}/e/fabrikam/reviews`).expect(200);
    expect(operator.text).toMatch(/<button type="submit">Compose review for this month<\/button>/);
    const token = hiddenField(operator.text, '_csrf')!;
    const self = `${WS}/e/fabrikam/reviews`;
    const started = await request(server())
      .post(`${WS}/e/fabrikam/operations`)
      .set('Cookie', cookies.operator)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: token, type: 'environment.review.compose', return_to: self })
      .expect(303);
    expect(started.headers.location).toMatch(new RegExp(`^${self}\\?started=[0-9a-f-]{36}&created=1$`));
    const runId = new URL(started.headers.location, 'http://x').searchParams.get('started')!;
    const back = await page('operator', started.headers.location).expect(200);
    expect(back.text).toContain(`Environment review compose queued — <a href="/operations/${runId}">View run</a>`);
    await waitForCompletedRun(runs, runId);
  });
});
