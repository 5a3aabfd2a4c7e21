import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstRunAnnouncement } from '../../src/modules/rbac/adapters/boot/first-run-announcement';
import { launchChromium, listenOnLoopback, screenshot, signInThroughForm } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Browser smoke (issue 19), from an empty database — no seed, no SQL: the boot line's one-time
 * setup link creates the first administrator and workspace; the administrator signs in, creates a
 * second workspace, adds an environment and invites a member, all through the pages; the invitee
 * accepts the link in a second browser context (its own cookies), lands signed in in the new
 * workspace and starts an inventory sync that completes — initiated by the invitee's own user.
 */
jest.setTimeout(90_000);

describe('administration through the pages: workspace, environment, invitation, first run (real browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let adminPage: Page;
  let inviteeContext: BrowserContext;
  let baseUrl: string;
  let fixtures: string;
  const admin = { email: 'admin@smoke.test', name: 'Ada Admin', password: 'the-first-admin-password' };
  const firstWorkspace = { name: 'First MSP', slug: 'first-msp' };
  const workspace = { name: 'Smoke Lab', slug: 'smoke-lab' };
  const environment = { slug: 'smoke-env', name: 'Smoke environment' };
  const invitee = { email: 'newcomer@opsdeck.test', name: 'Nora Newcomer', password: 'a-long-enough-password' };

  beforeAll(async () => {
    // The fixture provider reads `<environment-slug>.json`: give the new environment a small one.
    fixtures = mkdtempSync(path.join(tmpdir(), 'opsdeck-admin-'));
    const sample = JSON.parse(readFileSync(path.join(__dirname, '../../config/inventory/contoso-hq.json'), 'utf8')).items[0];
    const items = Array.from({ length: 3 }, (_, i) => ({ ...sample, external_id: `smoke-${i}`, display_name: `Smoke item ${i}` }));
    writeFileSync(path.join(fixtures, `${environment.slug}.json`), JSON.stringify({ items }));
    t = await startTestApp({ roles: ['web', 'worker'], env: { INVENTORY_FIXTURES_DIR: fixtures } });
    baseUrl = await listenOnLoopback(t);
    browser = await launchChromium();
    adminPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(fixtures, { recursive: true, force: true });
  });

  it('sets up a fresh installation, creates a workspace, adds an environment, invites a member who accepts and starts a run', async () => {
    // 0. First run: the link the boot logs, opened in the browser, makes the first administrator.
    expect(await t.db.query('select id from users')).toEqual([]);
    const line = await firstRunAnnouncement(t.app, baseUrl);
    const setupUrl = /open (\S+) to create/.exec(line ?? '')?.[1];
    expect(setupUrl).toMatch(/\/setup\?token=/);
    await adminPage.goto(setupUrl!);
    await adminPage.getByLabel('Email').fill(admin.email);
    await adminPage.getByLabel('Your name').fill(admin.name);
    await adminPage.getByLabel('Password', { exact: true }).fill(admin.password);
    await adminPage.getByLabel('Password again').fill(admin.password);
    await adminPage.getByLabel('Name', { exact: true }).fill(firstWorkspace.name);
    await adminPage.getByLabel('Slug').fill(firstWorkspace.slug);
    await Promise.all([
      adminPage.waitForURL((url) => url.pathname === '/login'),
      adminPage.getByRole('button', { name: 'Create administrator and workspace' }).click(),
    ]);
    await signInThroughForm(adminPage, baseUrl, admin.email, admin.password);
    await adminPage.goto(`${baseUrl}/w/${firstWorkspace.slug}`);
    await expect(adminPage.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(firstWorkspace.name);
    await adminPage.goto(setupUrl!); // used: the link is gone
    await expect(adminPage.getByRole('heading', { level: 1 }).innerText()).resolves.not.toBe('Set up Opsdeck');

    // 1. New workspace, from the home page.
    await adminPage.goto(`${baseUrl}/`);
    const newWorkspace = adminPage.getByTestId('new-workspace-form');
    await newWorkspace.getByLabel('Name').fill(workspace.name);
    await newWorkspace.getByLabel('Slug').fill(workspace.slug);
    await Promise.all([
      adminPage.waitForURL(new RegExp(`/w/${workspace.slug}$`)),
      newWorkspace.getByRole('button', { name: 'Create workspace' }).click(),
    ]);
    await expect(adminPage.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(workspace.name);
    await adminPage.goto(`${baseUrl}/`);
    await expect(adminPage.getByRole('link', { name: workspace.name }).count()).resolves.toBe(1);
    await screenshot(adminPage, 'administration-workspace-created');

    // 2. An environment, from the environment settings.
    await adminPage.goto(`${baseUrl}/w/${workspace.slug}/settings/environments`);
    const createEnvironment = adminPage.getByTestId('create-environment-form');
    await createEnvironment.getByLabel('Slug').fill(environment.slug);
    await createEnvironment.getByLabel('Display name').fill(environment.name);
    await createEnvironment.getByLabel('Inventory provider').selectOption('fixture');
    await Promise.all([
      adminPage.waitForURL((url) => url.pathname === `/w/${workspace.slug}/settings/environments` && url.searchParams.get('saved') === 'created'),
      createEnvironment.getByRole('button', { name: 'Add environment' }).click(),
    ]);
    await expect(adminPage.getByTestId('flash').innerText()).resolves.toContain('Environment created.');
    const row = adminPage.getByTestId('environment-settings').locator(`tr[data-environment="${environment.slug}"]`);
    await expect(row.innerText()).resolves.toContain('Active');
    await expect(row.getByLabel(`Display name of ${environment.slug}`).inputValue()).resolves.toBe(environment.name);
    await screenshot(adminPage, 'administration-environment-added');

    // 3. An invitation, from the members page: its link is shown this once.
    await adminPage.goto(`${baseUrl}/w/${workspace.slug}/members`);
    const invite = adminPage.getByTestId('invite-member-form');
    await invite.getByLabel('Email').fill(invitee.email);
    await invite.getByLabel('Role').selectOption('operator');
    await invite.getByLabel('All environments').check();
    await invite.getByRole('button', { name: 'Add or invite' }).click();
    await adminPage.getByTestId('invitation-created').waitFor();
    const invitationUrl = (await adminPage.getByTestId('invitation-url').innerText()).trim();
    expect(invitationUrl).toMatch(/\/invite\/[^/\s]+$/);
    await expect(adminPage.getByTestId('invitation-list').innerText()).resolves.toContain(invitee.email);
    await screenshot(adminPage, 'administration-invitation-created');

    // 4. The invitee, in a browser context of their own, accepts and lands signed in.
    inviteeContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const inviteePage = await inviteeContext.newPage();
    await inviteePage.goto(new URL(invitationUrl, baseUrl).toString());
    await expect(inviteePage.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Join ${workspace.name}`);
    const accept = inviteePage.getByTestId('invite-form');
    await accept.getByLabel('Your name').fill(invitee.name);
    await accept.getByLabel('Password', { exact: true }).fill(invitee.password);
    await accept.getByLabel('Password again').fill(invitee.password);
    await Promise.all([
      inviteePage.waitForURL(new RegExp(`/w/${workspace.slug}$`)),
      accept.getByRole('button', { name: 'Create account and join' }).click(),
    ]);
    await expect(inviteePage.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(workspace.name);
    await expect(inviteePage.getByTestId('environment-health').innerText()).resolves.toContain(environment.name);
    await screenshot(inviteePage, 'administration-invitee-joined');

    // 5. The invitee starts an inventory sync and watches it complete.
    await inviteePage.goto(`${baseUrl}/w/${workspace.slug}/e/${environment.slug}`);
    await inviteePage.getByRole('button', { name: 'Start Inventory sync' }).click();
    const flash = inviteePage.getByTestId('flash');
    await flash.filter({ hasText: 'Inventory sync queued' }).waitFor();
    await Promise.all([inviteePage.waitForURL(/\/operations\/[0-9a-f-]{36}$/), flash.getByRole('link', { name: 'View run' }).click()]);
    const runId = new URL(inviteePage.url()).pathname.split('/').pop()!;
    await inviteePage.getByTestId('headline').filter({ hasText: 'Completed successfully.' }).waitFor({ timeout: 30_000 });
    await screenshot(inviteePage, 'administration-invitee-run-succeeded');

    const [run] = await t.db.query<{ status: string; outcome: string; initiator_user_id: string; initiator_email: string }>(
      `select r.status, r.outcome, r.initiator_user_id, u.email as initiator_email
         from operation_runs r join users u on u.id = r.initiator_user_id where r.id = $1`,
      [runId],
    );
    expect(run).toMatchObject({ status: 'completed', outcome: 'succeeded', initiator_email: invitee.email });
    const [adminRow] = await t.db.query<{ id: string }>('select id from users where email = $1', [admin.email]);
    expect(run.initiator_user_id).not.toBe(adminRow.id);
  });
});
