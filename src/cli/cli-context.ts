import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfig } from '../shared/adapters/config/app-config';
import { CliCommand, CliRuntime } from '../shared/adapters/cli/cli-command';
import { ParsedArgs } from '../shared/adapters/cli/cli-args';

export { out } from '../shared/adapters/cli/cli-command';

/** Commands that need the app's services boot it without HTTP, worker or scheduler roles. */
export async function withContext(config: AppConfig, work: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  Logger.overrideLogger(['error']);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, roles: [] }), { logger: ['error'] });
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

export function runtimeFor(config: AppConfig): CliRuntime {
  return { config, withApp: (work) => withContext(config, work) };
}

/** A module's commands in the CLI's (args, config) shape. */
export function bindCommands(
  commands: Record<string, CliCommand>,
): Record<string, (args: ParsedArgs, config: AppConfig) => Promise<void>> {
  return Object.fromEntries(Object.entries(commands).map(([name, run]) => [name, (args, config) => run(args, runtimeFor(config))]));
}
