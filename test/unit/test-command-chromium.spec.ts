import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * `npm test` on a machine without Chromium (scripts/test.sh → scripts/chromium.sh), played with a
 * PATH of stubs: `id` says who we are, `sudo` and `apt-get` record what they were asked (a stub
 * apt-get "installs" by creating the browser where Debian puts it), `npm`/`npx` record whether
 * anything ran. The well-known locations point into a temporary directory, so the machine's own
 * Chromium is neither found nor touched.
 */
describe('the test command finds, installs or asks for Chromium', () => {
  let dir: string;
  let bin: string;
  let debianChromium: string;
  const calls = () => (fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') : []);

  function stub(name: string, body: string): void {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  const record = (name: string) => `echo "${name} $*" >> "${path.join(dir, 'calls')}"`;

  /** A machine: who we are, whether sudo works without a password, whether apt-get exists. */
  function machine({ uid, sudo, apt }: { uid: number; sudo: 'none' | 'password' | 'passwordless'; apt: boolean }): void {
    stub('id', `echo ${uid}`);
    if (sudo === 'password') stub('sudo', `${record('sudo')}\nexit 1`);
    if (sudo === 'passwordless') stub('sudo', `${record('sudo')}\n[ "$1" = -n ] && shift\n"$@"`);
    if (apt) {
      stub('apt-get', `${record('apt-get')}\ncase "$*" in *install*chromium*) : > "${debianChromium}"; /bin/chmod +x "${debianChromium}";; esac`);
    }
    stub('npm', `${record('npm')}\nexit 0`);
    stub('npx', `${record('npx')}\nexit 0`);
    fs.symlinkSync(spawnSync('/bin/sh', ['-c', 'command -v dirname'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'dirname'));
  }

  function run(script: string, env: Record<string, string> = {}) {
    const res = spawnSync('/bin/bash', ['-c', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir, OPSDECK_CHROMIUM_CANDIDATES: `${debianChromium}:${path.join(dir, 'opt-chrome')}`, ...env },
    });
    return { status: res.status, stdout: res.stdout.trim(), stderrLines: res.stderr.trim() ? res.stderr.trim().split('\n') : [] };
  }
  // As package.json's "test" script runs it.
  const testCommand = (env?: Record<string, string>) => run('/bin/bash scripts/test.sh', env);
  const ensure = (env?: Record<string, string>) => run('source scripts/chromium.sh && ensure_chromium && echo "$CHROMIUM_PATH"', env);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-chromium-'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    debianChromium = path.join(dir, 'usr-bin-chromium');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops before running anything, with one line naming the package, when it cannot install (not root, no sudo)', () => {
    machine({ uid: 1000, sudo: 'none', apt: true });
    const res = testCommand();
    expect(res.status).toBe(1);
    expect(res.stderrLines).toEqual([
      "The browser tests need Chromium: run 'sudo apt-get install -y --no-install-recommends chromium' (or set CHROMIUM_PATH to a Chrome or Chromium executable), then npm test again.",
    ]);
    expect(calls()).toEqual([]); // neither apt-get nor npm/npx (no install, no lint, no jest)
  });

  it('does not install through a sudo that wants a password', () => {
    machine({ uid: 1000, sudo: 'password', apt: true });
    const res = testCommand();
    expect(res.status).toBe(1);
    expect(res.stderrLines).toEqual([expect.stringContaining("run 'sudo apt-get install -y --no-install-recommends chromium'")]);
    expect(calls()).toEqual(['sudo -n true']);
  });

  it('names Chrome or Chromium on a machine without apt-get', () => {
    machine({ uid: 0, sudo: 'none', apt: false });
    const res = testCommand();
    expect(res.status).toBe(1);
    expect(res.stderrLines).toEqual([
      'The browser tests need Chromium: install Google Chrome or Chromium (or set CHROMIUM_PATH to its executable), then npm test again.',
    ]);
    expect(calls()).toEqual([]);
  });

  it("installs Debian's chromium as root, as .ci/run did, and exports its path", () => {
    machine({ uid: 0, sudo: 'none', apt: true });
    const res = ensure();
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(debianChromium);
    expect(calls()).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium']);
  });

  it('installs through password-less sudo', () => {
    machine({ uid: 1000, sudo: 'passwordless', apt: true });
    const res = ensure();
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(debianChromium);
    expect(calls()).toEqual([
      'sudo -n true',
      'sudo -n apt-get update -qq',
      'apt-get update -qq',
      'sudo -n apt-get install -y -qq --no-install-recommends chromium',
      'apt-get install -y -qq --no-install-recommends chromium',
    ]);
  });

  it('uses a Chromium or Chrome already there (well-known place or PATH) and installs nothing', () => {
    machine({ uid: 0, sudo: 'none', apt: true });
    const chrome = path.join(dir, 'opt-chrome');
    fs.writeFileSync(chrome, '', { mode: 0o755 });
    expect(ensure()).toMatchObject({ status: 0, stdout: chrome });
    fs.rmSync(chrome);
    stub('google-chrome-stable', 'exit 0');
    expect(ensure()).toMatchObject({ status: 0, stdout: path.join(bin, 'google-chrome-stable') });
    expect(calls()).toEqual([]);
  });

  it('honours CHROMIUM_PATH, and stops with one line when it points nowhere instead of installing', () => {
    machine({ uid: 0, sudo: 'none', apt: true });
    const own = path.join(dir, 'my-chrome');
    fs.writeFileSync(own, '', { mode: 0o755 });
    expect(ensure({ CHROMIUM_PATH: own })).toMatchObject({ status: 0, stdout: own });
    const res = testCommand({ CHROMIUM_PATH: path.join(dir, 'nowhere') });
    expect(res.status).toBe(1);
    expect(res.stderrLines).toEqual([expect.stringMatching(/^CHROMIUM_PATH=.*nowhere is not an executable Chromium or Chrome/)]);
    expect(calls()).toEqual([]);
  });
});
