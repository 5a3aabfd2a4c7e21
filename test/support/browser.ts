import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { TestApp } from './test-app';

/**
 * The browser `npm test` found or installed (it exports CHROMIUM_PATH); a bare `npx jest` looks
 * the same way (scripts/chromium.sh: Debian's chromium, a locally installed Chrome or Chromium).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? findChromium();

function findChromium(): string | undefined {
  const script = path.join(__dirname, '..', '..', 'scripts', 'chromium.sh');
  const found = spawnSync('bash', ['-c', 'source "$0" && find_chromium', script], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Screenshots of the main pages: kept by every run for inspection (not committed). */
export const ARTIFACTS_DIR = path.join(__dirname, '..', 'browser', 'artifacts');

/**
 * Headless Chromium as this machine needs it: without the background-networking flags it keeps
 * dialling Google's hosts, which the closed network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM_PATH || !fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found${CHROMIUM_PATH ? ` at ${CHROMIUM_PATH}` : ''}: npm test installs Debian's chromium or says what to install; or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Puts the test app on a real loopback port and returns its base URL. */
export async function listenOnLoopback(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer();
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function signInThroughForm(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
