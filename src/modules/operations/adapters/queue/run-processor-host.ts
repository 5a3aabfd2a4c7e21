import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { DomainError } from '../../../../shared/core/domain-error';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRun } from '../../core/operation-run';
import { OperationRunService } from '../../core/operation-run.service';
import { errorInfo } from '../../core/operation-run.requests';
import { INITIATOR_AUTHORIZATION, InitiatorAuthorization } from '../../core/ports/initiator-authorization.port';
import { RunHandler } from '../../core/ports/run-handler.port';
import { RunHandlerRegistry } from '../../core/run-handler-registry';
import { OperationsMetrics } from '../metrics/operations-metrics';
import { readCancellation } from '../../core/run-cancellation';
import { JobTimeoutError, raceAbort, RunCancelledError, RunHandedBackError, RunNoLongerActiveError } from './run-abort-reasons';
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
  /** The executions in flight in this process, so a shutdown can hand them back. */
  private readonly inFlight = new Set<AbortController>();

  constructor(
    @Inject(OperationRunService) private readonly service: OperationRunService,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(RunHandlerRegistry) private readonly handlers: RunHandlerRegistry,
    private readonly metrics: OperationsMetrics,
    @Inject(INITIATOR_AUTHORIZATION) private readonly initiators: InitiatorAuthorization,
  ) {}

  /**
   * Shutdown after the grace period: every handler still running is aborted, its attempt closed
   * as `handed_back` and its job put back in the queue, where another worker begins a new attempt.
   */
  handBackAll(): number {
    for (const controller of this.inFlight) controller.abort(new RunHandedBackError());
    return this.inFlight.size;
  }

  async process(job: Job, token?: string): Promise<void> {
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
    if (readCancellation(run)) {
      // A retried attempt of a run whose cancel arrived between attempts: no more work.
      await this.acknowledgeCancel(run);
      return;
    }
    await this.execute(run, job, token);
  }

  /**
   * Stops for a cancel: the type first leaves its artifacts honest (no snapshot, an incomplete
   * compare, no draft), then the run completes `cancelled`. A process dying in between leaves a
   * cancel-requested run that the reconciler closes as cancelled, with the type's adapter.
   */
  private async acknowledgeCancel(run: OperationRun): Promise<void> {
    const handler = this.handlers.require(this.catalog.require(run.type).type);
    try {
      await handler.onCancelled?.(run);
    } catch (error) {
      this.logger.error(`Run ${run.id}: could not close its artifacts after a cancel: ${errorInfo(error).message}`);
    }
    const completed = await this.service.acknowledgeCancel(run);
    if (completed) this.logger.log(`Run ${run.id} cancelled: the worker stopped at the operator's request.`);
    else this.logger.warn(`Run ${run.id} was already finished elsewhere; the cancel was not applied.`);
  }

  /** The initiator still holds the capability here and still sees whatever else the input reaches. */
  private async initiatorMayRun(run: OperationRun, type: string, capability: string): Promise<boolean> {
    const reads = (await this.handlers.require(type).readsEnvironments?.(run.context.inputs ?? {}, run)) ?? [];
    return this.initiators.isStillAuthorized(run, capability, reads);
  }

  private async execute(run: OperationRun, job: Job, token?: string): Promise<void> {
    const definition = this.catalog.require(run.type);
    const handler = this.handlers.require(definition.type);
    const controller = new AbortController();
    this.inFlight.add(controller);
    const progress = new TrackedProgressReporter(run, this.service);
    const startedAt = Date.now();
    const heartbeat = setInterval(() => {
      this.service.heartbeat(run).then(
        (answer) => {
          if (answer === 'gone') controller.abort(new RunNoLongerActiveError());
          if (answer === 'cancel_requested') controller.abort(new RunCancelledError());
        },
        (error) => this.logger.warn(`Heartbeat for run ${run.id} failed: ${errorInfo(error).message}`),
      );
    }, definition.policy.heartbeat_s * 1000);
    const timeout = setTimeout(
      () => controller.abort(new JobTimeoutError(definition.policy.job_timeout_s)),
      definition.policy.job_timeout_s * 1000,
    );
    let work: Promise<unknown> = Promise.resolve();
    try {
      work = handler.handle({
        run,
        inputs: run.context.inputs ?? {},
        attempt: run.attempts,
        signal: controller.signal,
        progress,
      });
      const result = await raceAbort(work as ReturnType<RunHandler['handle']>, controller.signal);
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
      if (error instanceof RunHandedBackError) {
        await settledWithin(work, CANCEL_SETTLE_MS);
        await this.handBack(run, job, token);
        throw new DelayedError();
      }
      if (error instanceof RunCancelledError) {
        // Let the handler reach its next abort check first, so its artifact cleanup is not raced
        // by a write it still had in flight; a handler that ignores the signal is not waited for.
        await settledWithin(work, CANCEL_SETTLE_MS);
        await this.acknowledgeCancel(progress.current());
        this.metrics.observeJob(definition.type, 'cancelled', startedAt);
        return;
      }
      const code = error instanceof JobTimeoutError ? 'job_timeout' : 'job_failed';
      this.metrics.observeJob(definition.type, code, startedAt);
      await this.service
        .failAttempt(run.id, run.attempts, code, errorInfo(error))
        .catch((e) => this.logger.error(`Could not record the failed attempt of run ${run.id}: ${errorInfo(e).message}`));
      throw retryable(error) ? error : unrecoverable(error);
    } finally {
      this.inFlight.delete(controller);
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
  }

  /**
   * The attempt ends honestly (closed as `handed_back`, the run still running) and the job goes
   * back to the queue without counting as a failed attempt (BullMQ's DelayedError), so another
   * worker picks it up at once and begins the next attempt.
   */
  private async handBack(run: OperationRun, job: Job, token?: string): Promise<void> {
    await this.service
      .failAttempt(run.id, run.attempts, HANDED_BACK_CODE, { class: 'RunHandedBackError', message: 'worker shutting down' })
      .catch((e) => this.logger.error(`Could not close the handed-back attempt of run ${run.id}: ${errorInfo(e).message}`));
    await job.moveToDelayed(Date.now(), token);
    this.logger.warn(`Run ${run.id}: attempt ${run.attempts} handed back at shutdown; another worker resumes it.`);
  }
}

/** The attempt error code of a run handed back at shutdown. */
export const HANDED_BACK_CODE = 'handed_back';

/** How long a cancelled handler gets to stop at its next abort check before its artifacts are closed. */
const CANCEL_SETTLE_MS = 5_000;

function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
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
