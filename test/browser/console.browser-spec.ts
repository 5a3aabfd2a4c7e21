import type { Browser, Page } from 'playwright-core';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { launchChromium, listenOnLoopback, screenshot, signInThroughForm } from '../support/browser';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Real-browser smokes (Debian's Chromium through playwright-core) against the app on a loopback
 * port with a worker: sign in, start runs from the environment dashboard and watch them finish
 * without a reload, open the run page, follow a stale KPI into the hub. Screenshots of the main
 * pages land in test/browser/artifacts/.
 */
describe('operator console in a real browser', () => {
  let t: TestApp;
  let scope: DemoScope;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const owner = DEMO_USERS.find((u) => u.key === 'owner')!;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    await t.db.query(`insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, 'Contoso security baseline', $2)`, [
      scope.workspaceId,
      scope.environmentIds['contoso-hq'],
    ]);
    // Capture and compare need a completed inventory sync of their environments: recorded ones
    // (no items) keep these smokes about the console, not about fixture syncs.
    for (const env of ['contoso-hq', 'northwind']) {
      await insertRunRow(t.db, {
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds[env],
        type: 'inventory.sync',
        status: 'completed',
        outcome: 'succeeded',
      });
    }
    baseUrl = await listenOnLoopback(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A marker on window survives polling but not a navigation: proof that nothing reloaded. */
  type Marked = { __opsdeckMarker?: number };
  const markPage = () => page.evaluate(() => ((globalThis as Marked).__opsdeckMarker = 42));
  const pageMarker = () => page.evaluate(() => (globalThis as Marked).__opsdeckMarker ?? null);

  async function startFromDashboard(environment: string, type: string): Promise<string> {
    await page.goto(`${baseUrl}/w/contoso-msp/e/${environment}`);
    const form = page.locator(`form[data-start-type="${type}"]`).first();
    await Promise.all([page.waitForURL(/started=/), form.locator('button[type="submit"]').click()]);
    const flash = page.getByTestId('flash');
    await expect(flash.textContent()).resolves.toMatch(/queued|Already/);
    const href = await flash.getByRole('link', { name: 'View run' }).getAttribute('href');
    expect(href).toMatch(/^\/operations\/[0-9a-f-]{36}$/);
    return href!;
  }

  it('signs in through the form and lands on the workspace overview', async () => {
    await signInThroughForm(page, baseUrl, owner.email, scope.password);
    expect(new URL(page.url()).pathname).toBe('/w/contoso-msp');
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Contoso');
    await screenshot(page, 'workspace-overview');
  });

  it('starts a baseline capture and a compare from the dashboard and watches them finish without a reload', async () => {
    const capture = await startFromDashboard('contoso-hq', 'baseline.capture');
    await markPage();
    // The active-runs region polls; the run leaves it once it is terminal, with no navigation.
    const row = page.locator(`[data-poll] [data-run-id="${capture.split('/').pop()}"]`);
    await waitFor(() => row.count(), (n) => n === 0, { timeoutMs: 30_000, intervalMs: 250, what: 'capture to leave the active runs' });
    expect(await pageMarker()).toBe(42);

    // northwind's fixture answers slowly (3 000 items, 2 ms each): long enough to watch.
    const compare = await startFromDashboard('northwind', 'baseline.compare');
    await markPage();
    const compareRow = page.locator(`[data-poll] [data-run-id="${compare.split('/').pop()}"]`);
    expect(await compareRow.count()).toBe(1);
    await screenshot(page, 'environment-dashboard');
    await waitFor(() => compareRow.count(), (n) => n === 0, { timeoutMs: 30_000, intervalMs: 250, what: 'compare to leave the active runs' });
    expect(await pageMarker()).toBe(42);
    expect(await page.locator('[data-poll][data-polled-at]').count()).toBeGreaterThan(0);

    await page.getByTestId('flash').getByRole('link', { name: 'View run' }).click();
    await page.waitForURL(`${baseUrl}${compare}`);
    await expect(page.locator('.decision-zone').textContent()).resolves.toMatch(/Completed/);
    await screenshot(page, 'run-detail');
  });

  it('follows the stale KPI from the overview to the hub stale tab', async () => {
    const stale = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds.northwind,
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3000,
    });
    await page.goto(`${baseUrl}/w/contoso-msp`);
    const kpi = page.locator('a[href*="tab=active_stale_attention"]').first();
    await Promise.all([page.waitForURL(/tab=active_stale_attention/), kpi.click()]);
    const row = page.locator(`[data-run-id="${stale}"]`);
    await expect(row.count()).resolves.toBe(1);
    await expect(row.textContent()).resolves.toContain('Likely stale');
    await screenshot(page, 'operations-hub-stale');
  });
});
