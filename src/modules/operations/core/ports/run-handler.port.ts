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

export interface StartScope {
  workspaceId: string;
  environmentId: string | null;
}

/** The domain work of one operation type. Registered once per type; boot fails otherwise. */
export interface RunHandler {
  readonly type: string;
  /** Validates start input; throws a DomainError('invalid_input') naming the problem. */
  parseInput(raw: unknown): Record<string, unknown>;
  /**
   * Optional checks that need the domain (e.g. the referenced baseline exists in this workspace;
   * throw DomainError invalid_input / not_found) and the dedupe basis when it is more than the
   * inputs (e.g. the latest snapshot id). Runs before the run is created.
   */
  prepareStart?(inputs: Record<string, unknown>, scope: StartScope): Promise<{ fingerprintBasis?: unknown }>;
  handle(execution: RunExecution): Promise<HandlerResult>;
}
