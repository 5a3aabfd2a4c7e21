import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { launchChromium, listenOnLoopback, screenshot, signInThroughForm } from '../support/browser';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Browser smoke (issue 17): an operator cancels a running inventory sync from its run page and
 * watches it end — "Cancel requested … waiting for the worker to stop", then "Cancelled." — in the
 * live region, without reloading. The sync reads a slow fixture (600 items, 100 ms each) and the
 * worker heartbeats every second, so it is surely still running when the cancel lands.
 */
jest.setTimeout(90_000);

describe('cancel a running inventory sync from its page (real browser)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let fixtures: string;
  const operator = DEMO_USERS.find((u) => u.key === 'operator')!;

  beforeAll(async () => {
    fixtures = mkdtempSync(path.join(tmpdir(), 'opsdeck-cancel-'));
    const sample = JSON.parse(readFileSync(path.join(__dirname, '../../config/inventory/contoso-hq.json'), 'utf8')).items[0];
    const items = Array.from({ length: 600 }, (_, i) => ({ ...sample, external_id: `slow-${i}`, display_name: `Slow item ${i}` }));
    writeFileSync(path.join(fixtures, 'contoso-hq.json'), JSON.stringify({ latency_ms_per_item: 100, items }));
    t = await startTestApp({
      roles: ['web', 'worker'],
      env: { INVENTORY_FIXTURES_DIR: fixtures, OPS_LIFECYCLE_OVERRIDES: JSON.stringify({ 'inventory.sync': { heartbeat_s: 1 } }) },
    });
    scope = await seedDemoScope(t);
    baseUrl = await listenOnLoopback(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInThroughForm(page, baseUrl, operator.email, scope.password);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(fixtures, { recursive: true, force: true });
  });

  it('Cancel run… → confirm → the page says it waits, then shows Cancelled without a reload', async () => {
    const service = t.get<OperationRunService>(OperationRunService);
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      initiatorUserId: scope.userIds.operator,
    });
    await waitFor(() => service.findById(run.id), (r) => r?.status === 'running', { what: 'the sync to start' });

    await page.goto(`${baseUrl}/operations/${run.id}`);
    await Promise.all([page.waitForURL(/\/cancel$/), page.getByTestId('cancel-run').click()]);
    await screenshot(page, 'cancel-confirmation');
    await Promise.all([page.waitForURL(new RegExp(`/operations/${run.id}$`)), page.getByTestId('confirm-cancel').click()]);

    // From here on the page is never reloaded: a marker on window would not survive a navigation.
    await page.evaluate(() => ((globalThis as unknown as { stillHere: boolean }).stillHere = true));
    await expect(page.getByTestId('guidance').innerText()).resolves.toMatch(/^Cancel requested \d+ s ago — waiting for the worker to stop\.$/);
    await page.getByTestId('headline').filter({ hasText: 'Cancelled.' }).waitFor({ timeout: 30_000 });
    await expect(page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).resolves.toBe(true);
    await expect(page.getByTestId('cancel-run').count()).resolves.toBe(0);
    await screenshot(page, 'cancelled-run');

    const done = await service.findById(run.id);
    expect(done).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    expect(Number(done!.summaryCounts.processed ?? 0)).toBeLessThan(600);
  });
});
