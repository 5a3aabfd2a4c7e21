import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DomainError } from '../../../../shared/core/domain-error';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRun } from '../../core/operation-run';
import { OperationRunService } from '../../core/operation-run.service';
import { errorInfo } from '../../core/operation-run.requests';
import { INITIATOR_AUTHORIZATION, InitiatorAuthorization } from '../../core/ports/initiator-authorization.port';
import { RunHandlerRegistry } from '../../core/run-handler-registry';
import { OperationsMetrics } from '../metrics/operations-metrics';
import { JobTimeoutError, raceAbort, RunNoLongerActiveError } from './run-abort-reasons';
import { resolveRunId } from './run-correlation';
import { TrackedProgressReporter } from './tracked-progress-reporter';

/**
 * The tracking wrapper around every run handler: correlate the job to its run, mark it running,
 * heartbeat, enforce the job timeout with an AbortSignal, record the attempt, and complete the
 * run with the handler's outcome. Handlers only do domain work and report progress.
 */
@Injectable()
export class RunProcessorHost {
  private readonly logger = new Logger(RunProcessorHost.name);

  constructor(
    @Inject(OperationRunService) private readonly service: OperationRunService,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(RunHandlerRegistry) private readonly handlers: RunHandlerRegistry,
    private readonly metrics: OperationsMetrics,
    @Inject(INITIATOR_AUTHORIZATION) private readonly initiators: InitiatorAuthorization,
  ) {}

  async process(job: Job): Promise<void> {
    const runId = resolveRunId(job);
    if (!runId) {
      this.logger.warn(`Skipped job ${job.id} (${job.name}): it carries no operation run id.`);
      return;
    }
    const run = await this.service.beginAttempt(runId);
    if (!run) {
      this.logger.log(`Skipped job ${job.id}: run ${runId} is missing or already terminal; nothing to do.`);
      return;
    }
    const definition = this.catalog.require(run.type);
    if (run.initiatorUserId && !(await this.initiatorMayRun(run, definition.type, definition.capability))) {
      await this.service.blockUnauthorizedInitiator(run);
      this.logger.warn(`Run ${run.id} blocked: its initiator is no longer authorized.`);
      return;
    }
    await this.execute(run);
  }

  /** The initiator still holds the capability here and still sees whatever else the input reaches. */
  private async initiatorMayRun(run: OperationRun, type: string, capability: string): Promise<boolean> {
    const reads = (await this.handlers.require(type).readsEnvironments?.(run.context.inputs ?? {}, run)) ?? [];
    return this.initiators.isStillAuthorized(run, capability, reads);
  }

  private async execute(run: OperationRun): Promise<void> {
    const definition = this.catalog.require(run.type);
    const handler = this.handlers.require(definition.type);
    const controller = new AbortController();
    const progress = new TrackedProgressReporter(run, this.service);
    const startedAt = Date.now();
    const heartbeat = setInterval(() => {
      this.service.heartbeat(run).then(
        (alive) => {
          if (!alive) controller.abort(new RunNoLongerActiveError());
        },
        (error) => this.logger.warn(`Heartbeat for run ${run.id} failed: ${errorInfo(error).message}`),
      );
    }, definition.policy.heartbeat_s * 1000);
    const timeout = setTimeout(
      () => controller.abort(new JobTimeoutError(definition.policy.job_timeout_s)),
      definition.policy.job_timeout_s * 1000,
    );
    try {
      const result = await raceAbort(
        handler.handle({
          run,
          inputs: run.context.inputs ?? {},
          attempt: run.attempts,
          signal: controller.signal,
          progress,
        }),
        controller.signal,
      );
      await progress.flush();
      progress.close();
      const completed = await this.service.complete(progress.current(), result);
      this.metrics.observeJob(definition.type, completed ? result.outcome : 'lost', startedAt);
      if (!completed) this.logger.warn(`Run ${run.id} was already finished elsewhere; this result was not applied.`);
    } catch (error) {
      progress.close();
      if (error instanceof RunNoLongerActiveError) {
        this.logger.warn(`Run ${run.id} was finished elsewhere while attempt ${run.attempts} worked; stopped.`);
        return;
      }
      const code = error instanceof JobTimeoutError ? 'job_timeout' : 'job_failed';
      this.metrics.observeJob(definition.type, code, startedAt);
      await this.service
        .failAttempt(run.id, run.attempts, code, errorInfo(error))
        .catch((e) => this.logger.error(`Could not record the failed attempt of run ${run.id}: ${errorInfo(e).message}`));
      throw retryable(error) ? error : unrecoverable(error);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
  }
}

/** Bad input or missing domain data will fail the same way again: skip the remaining attempts. */
function retryable(error: unknown): boolean {
  return !(error instanceof DomainError && ['invalid', 'not_found', 'forbidden'].includes(error.kind));
}

function unrecoverable(error: unknown): UnrecoverableError {
  const wrapped = new UnrecoverableError(errorInfo(error).message);
  (wrapped as Error & { cause?: unknown }).cause = error;
  return wrapped;
}
