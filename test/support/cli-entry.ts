import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Node arguments that run the CLI: the build the global setup compiled once for this test run
 * (what `node dist/src/cli.js` runs in production; ~0.2 s to start), else the sources via
 * ts-node (several seconds per call).
 */
export function cliNodeArgs(args: string[]): string[] {
  return process.env.OPSDECK_TEST_CLI_BUILT === '1'
    ? [path.join(REPO_ROOT, 'dist', 'src', 'cli.js'), ...args]
    : ['-r', 'ts-node/register/transpile-only', path.join(REPO_ROOT, 'src', 'cli.ts'), ...args];
}
