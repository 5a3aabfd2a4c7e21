import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import type { ParsedArgs } from './cli-args';

/**
 * What a module's CLI command gets: the config, and a way to boot the app's services. The boot
 * itself lives with the app (src/cli/), so a module's commands never import the root module.
 */
export interface CliRuntime {
  config: AppConfig;
  withApp(work: (app: INestApplicationContext) => Promise<void>): Promise<void>;
}

/** One CLI command: parsed arguments in, output on stdout, errors thrown (mapped to exit codes). */
export type CliCommand = (args: ParsedArgs, runtime: CliRuntime) => Promise<void>;

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
