import { OperationRun, RelatedRef, RunFailure, TerminalOutcome } from '../operation-run';
import { ProgressReporter } from './progress-reporter.port';

export interface RunExecution {
  run: OperationRun;
  inputs: Record<string, unknown>;
  attempt: number;
  /** Aborted on job timeout or when the run was finished by someone else; handlers must honour it. */
  signal: AbortSignal;
  progress: ProgressReporter;
}

export interface HandlerResult {
  outcome: Exclude<TerminalOutcome, 'cancelled'>;
  summaryCounts?: Record<string, number>;
  failures?: RunFailure[];
  related?: RelatedRef;
}

/** The domain work of one operation type. Registered once per type; boot fails otherwise. */
export interface RunHandler {
  readonly type: string;
  /** Validates start input; throws a DomainError('invalid_input') naming the problem. */
  parseInput(raw: unknown): Record<string, unknown>;
  handle(execution: RunExecution): Promise<HandlerResult>;
}
