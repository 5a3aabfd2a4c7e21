import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { PostgresDriftProvenance } from './adapters/evidence/postgres-drift-provenance';
import { PostgresEvidenceSource } from './adapters/evidence/postgres-evidence-source';
import { EnvironmentReviewsApiController } from './adapters/http/environment-reviews-api.controller';
import { EnvironmentReviewsPagesController } from './adapters/http/environment-reviews-pages.controller';
import { MikroOrmEnvironmentReviewRepository } from './adapters/persistence/mikro-orm-environment-review.repository';
import { EnvironmentReviewComposeReconciliationAdapter } from './adapters/reconciliation/environment-review-compose.reconciliation-adapter';
import { EnvironmentReviewComposeHandler } from './adapters/run-handlers/environment-review-compose.handler';
import { ENVIRONMENT_REVIEW_REPOSITORY } from './core/ports/environment-review.repository.port';
import { DRIFT_PROVENANCE, DriftProvenance } from './core/ports/drift-provenance.port';
import { EVIDENCE_SOURCE } from './core/ports/evidence-source.port';
import { ReviewReaderView } from './core/review-reader-view';
import { ExportReviewMarkdown } from './application/export-review-markdown.query';
import { GetEnvironmentReview } from './application/get-environment-review.query';
import { ListEnvironmentReviews } from './application/list-environment-reviews.query';
import { ListWorkspaceReviews } from './application/list-workspace-reviews.query';
import { ReviewVisibility } from './application/review-visibility';

/**
 * Environment reviews (SPEC 5): the environment.review.compose run, its reconciliation adapter,
 * evidence read from PostgreSQL and the reviews API. AccessControl and CLOCK come from global
 * modules; OperationCatalog from OperationsModule (labels of operation types in the evidence).
 */
@Module({
  imports: [OperationsModule],
  controllers: [EnvironmentReviewsApiController, EnvironmentReviewsPagesController],
  providers: [
    EnvironmentReviewComposeHandler,
    EnvironmentReviewComposeReconciliationAdapter,
    ReviewVisibility,
    ListWorkspaceReviews,
    ListEnvironmentReviews,
    GetEnvironmentReview,
    ExportReviewMarkdown,
    { provide: ENVIRONMENT_REVIEW_REPOSITORY, useClass: MikroOrmEnvironmentReviewRepository },
    { provide: EVIDENCE_SOURCE, useClass: PostgresEvidenceSource },
    { provide: DRIFT_PROVENANCE, useClass: PostgresDriftProvenance },
    { provide: ReviewReaderView, useFactory: (p: DriftProvenance) => new ReviewReaderView(p), inject: [DRIFT_PROVENANCE] },
  ],
  exports: [ENVIRONMENT_REVIEW_REPOSITORY],
})
export class EnvironmentReviewsModule {}
