import { Inject, Injectable } from '@nestjs/common';
import { RegisterRunHandler } from '../../../operations/adapters/queue/register-run-handler.decorator';
import { OperationRun } from '../../../operations/core/operation-run';
import { HandlerResult, RunExecution, RunHandler, StartScope } from '../../../operations/core/ports/run-handler.port';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { ComposeReview } from '../../core/compose-review';
import { EnvironmentReviewErrors } from '../../core/environment-reviews-errors';
import { ENVIRONMENT_REVIEW_REPOSITORY, EnvironmentReviewRepository } from '../../core/ports/environment-review.repository.port';
import { EVIDENCE_SOURCE, EvidenceSource } from '../../core/ports/evidence-source.port';
import { parseReviewInput, ReviewPeriod } from '../../core/review-period';
import { ENVIRONMENT_REVIEW_LINK } from './environment-review-link';

export const REVIEW_COMPOSE_TYPE = 'environment.review.compose';

const needsEnvironment = () => EnvironmentReviewErrors.composeNeedsEnvironment(REVIEW_COMPOSE_TYPE);

/**
 * `environment.review.compose`: orchestration only. Input `{ period: 'YYYY-MM' }`, `{ from, to }`
 * or nothing (the current month, by the Clock port); the normalized period is what is stored and
 * deduplicated, so two starts for the same environment and period while one is active are one run.
 */
@Injectable()
@RegisterRunHandler()
export class EnvironmentReviewComposeHandler implements RunHandler {
  readonly type = REVIEW_COMPOSE_TYPE;
  readonly relatedArtifacts = [ENVIRONMENT_REVIEW_LINK];
  private readonly compose: ComposeReview;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVIDENCE_SOURCE) evidence: EvidenceSource,
    @Inject(ENVIRONMENT_REVIEW_REPOSITORY) private readonly reviews: EnvironmentReviewRepository,
  ) {
    this.compose = new ComposeReview(evidence, reviews);
  }

  parseInput(raw: unknown): Record<string, unknown> {
    return { ...parseReviewInput(raw, this.clock.now()) };
  }

  async prepareStart(_inputs: Record<string, unknown>, scope: StartScope): Promise<{ fingerprintBasis?: unknown }> {
    if (!scope.environmentId) throw needsEnvironment();
    return {};
  }

  handle({ run, inputs, signal, progress }: RunExecution): Promise<HandlerResult> {
    if (!run.environmentId) throw needsEnvironment();
    // Stored inputs are the normalized period; parsing again validates them without the clock mattering.
    const { period } = parseReviewInput(inputs, this.clock.now()) as { period: ReviewPeriod };
    return this.compose.run({
      workspaceId: run.workspaceId,
      environmentId: run.environmentId,
      period,
      runId: run.id,
      signal,
      report: (parts) => progress.composite(parts),
    });
  }

  /** A cancelled compose leaves no draft behind (a published review is the run's finished work). */
  async onCancelled(run: OperationRun): Promise<void> {
    await this.reviews.deleteDraftsOfRun(run.id);
  }
}
