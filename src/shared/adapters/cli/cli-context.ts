import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../../app.module';
import { AppConfig } from '../config/app-config';
import { ParsedArgs } from './cli-args';

/** One CLI command: parsed arguments in, output on stdout, errors thrown (mapped to exit codes). */
export type CliCommand = (args: ParsedArgs, config: AppConfig) => Promise<void>;

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

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
