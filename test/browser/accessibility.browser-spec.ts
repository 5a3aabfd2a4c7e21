import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { axeViolations, installAxe } from '../support/axe';
import { launchChromium, listenOnLoopback, screenshot, signInThroughForm } from '../support/browser';
import { MainPage, mainPages, seedMainPages, UNCAPTURED_PROFILE_NAME } from '../support/main-pages';
import { contrastRatio, focusRing, horizontalScroll, isFocused, outOfContainer } from '../support/page-layout';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

type Who = 'owner' | 'operator';

/** A tour of seventeen pages in a real browser: generous, for a machine shared by parallel test files. */
const TOUR_TIMEOUT_MS = 240_000;

/**
 * Every main page in Chromium, as the owner and as the limited operator, at a desktop (1280 px)
 * and a tablet (768 px) width: axe-core finds no violation and the page never scrolls sideways.
 * Then what axe cannot see: the dashboard's start forms stay inside their cards with a long
 * baseline name, the findings scroller is reachable by keyboard, every focus outline keeps 3:1
 * against what it is drawn on, and Escape closes the workspace switcher.
 */
describe('accessible pages in a real browser', () => {
  let t: TestApp;
  let scope: DemoScope;
  let browser: Browser;
  let baseUrl: string;
  let pages: MainPage[];
  const contexts = new Map<Who | 'anonymous', BrowserContext>();

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    pages = mainPages(await seedMainPages(t, scope));
    baseUrl = await listenOnLoopback(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A tab of a signed-in (or anonymous) browser context whose pages carry axe-core. */
  async function tab(who: Who | 'anonymous', width: number): Promise<Page> {
    let context = contexts.get(who);
    if (!context) {
      context = await browser.newContext({ viewport: { width, height: 900 } });
      await installAxe(context);
      contexts.set(who, context);
      if (who !== 'anonymous') {
        const page = await context.newPage();
        await signInThroughForm(page, baseUrl, DEMO_USERS.find((u) => u.key === who)!.email, scope.password);
        await page.close();
      }
    }
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    return page;
  }

  async function open(page: Page, path: string, status = 200): Promise<void> {
    const res = await page.goto(`${baseUrl}${path}`);
    expect([path, res?.status()]).toEqual([path, status]);
  }

  describe.each(['owner', 'operator'] as Who[])('as %s', (who) => {
    it.each([1280, 768])('axe finds no violation on any main page at %i px, and no page scrolls sideways', async (width) => {
      const problems: string[] = [];
      for (const main of pages) {
        const page = await tab(main.anonymous ? 'anonymous' : who, width);
        await open(page, main.path, main.status[who]);
        for (const finding of await axeViolations(page)) problems.push(`${main.name}: ${finding}`);
        const sideways = await horizontalScroll(page);
        if (sideways > 0) problems.push(`${main.name}: the page scrolls ${sideways} px sideways`);
        await page.close();
      }
      expect(problems).toEqual([]);
    }, TOUR_TIMEOUT_MS);
  });

  it('keeps the dashboard forms inside their cards with a long baseline name at 1280, 1024 and 768 px', async () => {
    for (const width of [1280, 1024, 768]) {
      const page = await tab('owner', width);
      await open(page, '/w/contoso-msp/e/contoso-hq');
      const compareOptions = await page.locator('form[data-start-type="baseline.compare"] option').allTextContents();
      expect(compareOptions).toContain(`${UNCAPTURED_PROFILE_NAME} (no snapshot yet)`);
      expect([width, await outOfContainer(page, '[data-testid="start-forms"] .card', 'form, fieldset, select, button')]).toEqual([width, []]);
      expect([width, await horizontalScroll(page)]).toEqual([width, 0]);
      await screenshot(page, `environment-dashboard-${width}`);
      await page.close();
    }
  });

  it("lets the keyboard reach the findings table's scroller and shows the whole Changes column at 768 px", async () => {
    const page = await tab('operator', 768);
    await open(page, pages.find((p) => p.name === 'compare result')!.path);
    const scroller = page.locator('.table-wrap:has(table.findings)');
    await scroller.focus();
    await expect(isFocused(scroller)).resolves.toBe(true);
    await expect(scroller.getAttribute('aria-label')).resolves.toBe('Findings table');
    const fit = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    await screenshot(page, 'compare-result-768');
    await page.close();
  });

  it('draws every focus outline with at least 3:1 contrast against what it sits on (Tab through each main page)', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const main of pages) {
      const page = await tab(main.anonymous ? 'anonymous' : 'owner', 1280);
      await open(page, main.path, main.status.owner);
      const seen = new Set<number>();
      for (let i = 0; i < 150; i++) {
        await page.keyboard.press('Tab');
        const ring = await focusRing(page);
        if (!ring || seen.has(ring.id)) break;
        seen.add(ring.id);
        checked++;
        if (ring.style === 'none' || ring.width < 2) problems.push(`${main.name}: ${ring.element} has no visible focus outline`);
        for (const bg of ring.backgrounds) {
          const ratio = contrastRatio(ring.color, bg);
          if (ratio < 3) problems.push(`${main.name}: ${ring.element} outline ${ring.color} on ${bg} is ${ratio.toFixed(2)}:1`);
        }
      }
      await page.close();
    }
    expect(checked).toBeGreaterThan(200); // about 300 today: the tour must not stop early
    expect([...new Set(problems)]).toEqual([]);
  }, TOUR_TIMEOUT_MS);

  it('closes the workspace switcher on Escape and gives focus back to it; its links keep a visible outline', async () => {
    const page = await tab('owner', 1280);
    await open(page, '/w/contoso-msp/operations');
    const switcher = page.locator('.workspace-switcher details');
    const summary = switcher.locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(switcher.evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(true);
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    expect(ring!.element).toMatch(/^a /);
    for (const bg of ring!.backgrounds) expect(contrastRatio(ring!.color, bg)).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Escape');
    await expect(switcher.evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(false);
    await expect(isFocused(summary)).resolves.toBe(true);
    await page.close();
  });
});
