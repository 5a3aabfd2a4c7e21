import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_JSON_VALUE } from '../../../../shared/adapters/http/json-value.schema';
import { EVIDENCE_SECTIONS } from '../../core/evidence';

/**
 * OpenAPI shapes of the environment reviews API. Documentation only: the controller returns the
 * read models of application/review-read-models.ts, mirrored here (the e2e contract check holds them equal).
 */
class ReviewPeriodDoc {
  @ApiProperty({ format: 'date', example: '2026-11-01', description: 'First day (inclusive, UTC)' }) from: string;
  @ApiProperty({ format: 'date', example: '2026-12-01', description: 'Day after the last (exclusive, UTC)' }) to: string;
  @ApiProperty({ example: '2026-11' }) label: string;
}

export class ReviewSummaryDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ReviewPeriodDoc }) period: ReviewPeriodDoc;
  @ApiProperty({ enum: ['ready', 'superseded'], description: 'Drafts (a compose still running) are never shown' }) status: string;
  @ApiProperty({ description: 'Hash of environment, period and evidence basis' }) fingerprint: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supersedes_review_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) ready_at: string | null;
}

export class ReviewListDoc {
  @ApiProperty({ type: [ReviewSummaryDoc], description: 'Newest first' }) items: ReviewSummaryDoc[];
}

class CompareResultEvidenceDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() baseline_name: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completed_at: string | null;
  @ApiProperty({ description: 'Findings of this compare' }) findings: number;
  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the compared inventory was synced; absent in reviews composed before it was recorded',
  })
  inventory_synced_at?: string | null;
}

class FindingCountDoc {
  @ApiProperty({ example: 'setting_differs' }) type: string;
  @ApiProperty({ example: 'deviceConfiguration' }) kind: string;
  @ApiProperty() count: number;
}

class OperationTypeHealthDoc {
  @ApiProperty({ example: 'inventory.sync' }) type: string;
  @ApiPropertyOptional({ description: 'Catalog label; absent for a type the catalog no longer knows' }) label?: string;
  @ApiProperty() succeeded: number;
  @ApiProperty() partially_succeeded: number;
  @ApiProperty() failed: number;
  @ApiProperty() blocked: number;
  @ApiProperty() reconciled: number;
  @ApiProperty({ description: 'Runs that went likely stale before finishing' }) went_stale: number;
}

class KindCountDoc {
  @ApiProperty({ example: 'deviceConfiguration' }) kind: string;
  @ApiProperty() count: number;
}

/** One object for the three sections' data: each section fills its own fields (named per key below). */
class EvidenceDataDoc {
  @ApiPropertyOptional({ type: [CompareResultEvidenceDoc], description: 'baseline_drift: the latest compares in the period' })
  compare_results?: CompareResultEvidenceDoc[];
  @ApiPropertyOptional({ type: [FindingCountDoc], description: 'baseline_drift: findings counted by type and kind' })
  findings?: FindingCountDoc[];
  @ApiPropertyOptional({ type: [OperationTypeHealthDoc], description: 'operations_health: outcomes per operation type' })
  runs?: OperationTypeHealthDoc[];
  @ApiPropertyOptional({ type: [KindCountDoc], description: 'inventory_coverage: items per policy kind' })
  items?: KindCountDoc[];
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'inventory_coverage' })
  last_successful_sync_at?: string | null;
}

class EvidenceSectionDoc {
  @ApiProperty({ enum: EVIDENCE_SECTIONS.map((s) => s.key) }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['ready', 'missing'] }) state: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why a missing section is missing; null when ready' })
  explanation: string | null;
  @ApiProperty({ type: EvidenceDataDoc, nullable: true, description: 'Null when missing' }) data: EvidenceDataDoc | null;
  @ApiProperty({ ...ANY_JSON_VALUE, description: 'The evidence identity the fingerprint hashes (ids and counts; opaque); null when missing' })
  basis: unknown;
}

class ReviewEnvironmentDoc {
  @ApiProperty({ example: 'contoso-hq' }) slug: string;
  @ApiProperty() name: string;
}

export class ReviewDetailDoc extends ReviewSummaryDoc {
  @ApiProperty({ type: ReviewEnvironmentDoc }) environment: ReviewEnvironmentDoc;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The compose run that wrote it' }) run_id: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) superseded_at: string | null;
  @ApiProperty({ type: [EvidenceSectionDoc] }) sections: EvidenceSectionDoc[];
}
