import { OperationRun, RelatedRef, RunFailure, TerminalOutcome } from '../operation-run';
import { RelatedArtifactLink } from '../related-artifact-links';
import { StartForm } from '../start-form';
import { ProgressReporter } from './progress-reporter.port';

export interface RunExecution {
  run: OperationRun;
  inputs: Record<string, unknown>;
  attempt: number;
  /** Aborted on job timeout, on an operator's cancel, or when the run was finished by someone else; handlers must honour it. */
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
  /**
   * Whether whoever starts the run may see an environment of the workspace: what the input names
   * (e.g. a baseline, through its source environment) must be answered exactly as unknown when
   * it belongs to an environment they cannot see. Absent for system starts, which see everything.
   */
  sees?: (environmentId: string) => boolean;
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
  /**
   * Environments other than the run's own whose data the run reads (e.g. a compare reads its
   * baseline's source). A worker starts a user-initiated run only while its initiator still sees
   * every one of them; otherwise the run ends blocked like any run whose initiator lost access.
   */
  readsEnvironments?(inputs: Record<string, unknown>, run: OperationRun): Promise<string[]>;
  handle(execution: RunExecution): Promise<HandlerResult>;
  /**
   * Leaves the type's artifacts honest after an operator cancelled the run (a partial snapshot
   * unusable, a compare result incomplete, no draft). Called before the run completes
   * `cancelled`; absent when the type writes nothing that a cancel could leave half done.
   */
  onCancelled?(run: OperationRun): Promise<void>;
  /**
   * An artifact the run has from the moment it exists, so every surface links it while the run
   * works (a bulk run's list of the runs it touched); completion may report it again.
   */
  relatedAtStart?(runId: string): RelatedRef;
  /** The type's start-form fields and preconditions, for pages; absent: the form has no fields. */
  readonly startForm?: StartForm;
  /** How the artifacts this handler reports as `related` are linked (one registration per artifact type). */
  readonly relatedArtifacts?: readonly RelatedArtifactLink[];
}
