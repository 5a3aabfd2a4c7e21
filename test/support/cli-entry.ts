import { execFile } from 'node:child_process';
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

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `env` and answers its exit code and output; rejects only when it did not exit by itself. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, cliNodeArgs(args), { cwd: REPO_ROOT, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error && (error.killed || typeof error.code !== 'number')) reject(new Error(`cli ${args[0]} did not exit normally: ${error.message}\n${stderr}`));
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}
