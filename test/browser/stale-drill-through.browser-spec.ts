import type { Browser, Locator, Page } from 'playwright-core';
import { STALE_ACTIVE_GUIDANCE } from '../../src/modules/operations/core/freshness';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { launchChromium, listenOnLoopback, screenshot, signInThroughForm } from '../support/browser';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Drill-through smokes in a real browser (seeds 233, 358 and 360): from the environment dashboard's
 * likely stale count to the hub's stale tab, then "Open operation" to the run page — with the same
 * truth on every step and none of the calm strings; and a review compose closed by the reconciler
 * shown as reconciled, its run page linking to the review. No worker and no scheduler run, so the
 * planted rows change only when the test sweeps.
 */
const CALM = ['Waiting for worker.', 'Progress details pending.', '4 / 10 processed (40%)'];
const LAST_REPORTED = 'Last reported 4 of 10 processed, 6 min ago';

describe('stale and reconciled drill-through in a real browser', () => {
  let t: TestApp;
  let scope: DemoScope;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const operator = DEMO_USERS.find((u) => u.key === 'operator')!;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    baseUrl = await listenOnLoopback(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInThroughForm(page, baseUrl, operator.email, scope.password);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** What a reader sees (not hidden markup): the calm strings and percentages must not be there. */
  async function expectNoCalmTruth(region: Locator): Promise<void> {
    const text = await region.innerText();
    for (const calm of CALM) expect(text).not.toContain(calm);
    expect(text).not.toMatch(/\d+\s*%/);
    expect(await region.locator('progress').count()).toBe(0);
  }

  it('dashboard stale count → hub stale tab of the environment → Open operation → run page with the banner and guidance', async () => {
    // A counted sync whose worker last reported 4 of 10, six minutes ago (stale after 90 s).
    const runId = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds.fabrikam,
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 900,
      heartbeatAgoS: 360,
      summaryCounts: { processed: 4, total: 10 },
      initiatorUserId: scope.userIds.operator,
    });

    await page.goto(`${baseUrl}/w/contoso-msp/e/fabrikam`);
    const dashboardRow = page.locator(`#active-runs [data-run-id="${runId}"]`);
    await expect(dashboardRow.innerText()).resolves.toContain(LAST_REPORTED);
    await expectNoCalmTruth(dashboardRow);
    const staleLink = page.getByTestId('environment-attention').locator('a[data-metric="stale"]');
    await expect(staleLink.innerText()).resolves.toBe('1');
    await screenshot(page, 'stale-dashboard');

    await Promise.all([page.waitForURL(/\/operations\?/), staleLink.click()]);
    const hubUrl = new URL(page.url());
    expect(hubUrl.pathname).toBe('/w/contoso-msp/operations');
    expect(hubUrl.searchParams.get('tab')).toBe('active_stale_attention');
    expect(hubUrl.searchParams.get('environment')).toBe('fabrikam');
    await expect(page.locator('[data-tab="active_stale_attention"]').getAttribute('aria-current')).resolves.toBe('page');
    const hubRows = page.locator('#hub-results tr[data-run-id]');
    await expect(hubRows.count()).resolves.toBe(1);
    const hubRow = page.locator(`#hub-results tr[data-run-id="${runId}"]`);
    const rowText = await hubRow.innerText();
    expect(rowText).toContain('Likely stale');
    expect(rowText).toContain(STALE_ACTIVE_GUIDANCE);
    expect(rowText).toContain(LAST_REPORTED);
    await expectNoCalmTruth(page.locator('#hub-results'));
    await screenshot(page, 'stale-hub');

    await Promise.all([page.waitForURL(`${baseUrl}/operations/${runId}`), hubRow.getByRole('link', { name: 'Open operation' }).click()]);
    const zone = page.getByTestId('decision-zone');
    const banner = zone.getByRole('heading', { name: 'Likely stale operation' });
    await expect(banner.isVisible()).resolves.toBe(true);
    const headline = zone.getByTestId('headline');
    await expect(headline.innerText()).resolves.toBe(STALE_ACTIVE_GUIDANCE);
    await expect(zone.getByTestId('guidance').innerText()).resolves.toBe(
      'No heartbeat within the lifecycle window; the run has not been confirmed as failed.',
    );
    // The banner opens the decision zone, above the cautious line.
    const [bannerBox, headlineBox] = await Promise.all([banner.boundingBox(), headline.boundingBox()]);
    expect(bannerBox!.y).toBeLessThan(headlineBox!.y);
    await expect(page.locator('main').innerText()).resolves.toContain(LAST_REPORTED);
    await expectNoCalmTruth(page.locator('main'));
    await screenshot(page, 'stale-run-detail');
  });

  it('shows a review compose the reconciler closed as reconciled, its run page linking to the review', async () => {
    const environmentId = scope.environmentIds.fabrikam;
    const runId = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId,
      type: 'environment.review.compose',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3600,
      initiatorUserId: scope.userIds.operator,
      context: { inputs: { period: { from: '2024-05-01', to: '2024-06-01', label: '2024-05' } } },
    });
    // The worker published the review, then died before closing its run.
    const [{ id: reviewId }] = await t.db.query<{ id: string }>(
      `insert into environment_reviews (workspace_id, environment_id, period_from, period_to, period_label, status, fingerprint, run_id, ready_at)
       values ($1, $2, '2024-05-01', '2024-06-01', 'May 2024', 'ready', 'published-before-crash', $3, now()) returning id`,
      [scope.workspaceId, environmentId, runId],
    );
    await t.get<LifecycleReconciler>(LifecycleReconciler).sweep();

    await page.goto(`${baseUrl}/w/contoso-msp/operations?tab=reconciled&environment=fabrikam`);
    const row = page.locator(`#hub-results tr[data-run-id="${runId}"]`);
    await expect(row.getAttribute('data-problem-class')).resolves.toBe('reconciled');
    await expect(row.innerText()).resolves.toContain('Reconciled: the review was published although the run was not closed.');
    await screenshot(page, 'reconciled-hub');

    await Promise.all([page.waitForURL(`${baseUrl}/operations/${runId}`), row.getByRole('link', { name: 'Open operation' }).click()]);
    await expect(page.getByTestId('headline').innerText()).resolves.toBe('Reconciled: the review was published although the run was not closed.');
    const reconciliation = page.getByTestId('reconciliation');
    await expect(reconciliation.innerText()).resolves.toMatch(/review_published[\s\S]*the environment-review-compose adapter/);
    await expect(page.getByTestId('banner').count()).resolves.toBe(0);
    const reviewLink = page.getByTestId('related').getByRole('link', { name: 'Environment review' });
    const reviewPath = `/w/contoso-msp/e/fabrikam/reviews/${reviewId}`;
    await expect(reviewLink.getAttribute('href')).resolves.toBe(reviewPath);
    await screenshot(page, 'reconciled-run-detail');

    await Promise.all([page.waitForURL(`${baseUrl}${reviewPath}`), reviewLink.click()]);
    await expect(page.locator('main').innerText()).resolves.toContain('May 2024');
  });
});
