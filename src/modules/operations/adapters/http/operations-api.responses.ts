import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FRESHNESS_VALUES } from '../../core/freshness';
import { RUN_OUTCOMES, RUN_STATUSES } from '../../core/operation-run';
import { PROGRESS_MODES } from '../../core/operation-type';
import { PROBLEM_CLASSES } from '../../core/problem-class';

/**
 * OpenAPI shapes of the operations API. Documentation only: controllers return the core
 * RunResource built by the one presenter, and these classes mirror it (snake_case).
 */
class ScopeRefDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

class InitiatorRefDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class BadgeDoc {
  @ApiProperty({ enum: ['status', 'outcome', 'freshness'] }) kind: string;
  @ApiProperty() value: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['neutral', 'info', 'success', 'warning', 'danger'] }) tone: string;
}

class PresentationDoc {
  @ApiProperty({ nullable: true, type: String, description: 'Run page heading for a state that needs escalating ("Likely stale operation"); null otherwise' })
  banner: string | null;
  @ApiProperty() headline: string;
  @ApiProperty({ nullable: true, type: String }) guidance: string | null;
  @ApiProperty({ type: [BadgeDoc] }) badges: BadgeDoc[];
  @ApiProperty({ example: { self: '/operations/7f0c…' } }) links: { self: string };
}

class ProgressDoc {
  @ApiProperty({ enum: PROGRESS_MODES }) mode: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional({ description: 'Counted mode only, never for a likely stale run: { processed, total, percent }' }) counted?: object;
  @ApiPropertyOptional({ description: 'Phased mode only: { key, label, index, count } (no percentage)' }) phase?: object;
  @ApiPropertyOptional({ description: 'Composite mode only: { parts, ready, total } (no percentage)' }) composite?: object;
  @ApiPropertyOptional({
    description: 'Likely stale counted runs only, instead of counted: { processed, total, reported_at, label } as history (no percentage)',
  })
  last_reported?: object;
}

class FailureDoc {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

class RelatedDoc {
  @ApiProperty() type: string;
  @ApiProperty() id: string;
}

export class RunResourceDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ScopeRefDoc, nullable: true }) workspace: ScopeRefDoc | null;
  @ApiProperty({ type: ScopeRefDoc, nullable: true, description: 'Null for workspace-level runs' })
  environment: ScopeRefDoc | null;
  @ApiProperty({ example: 'inventory.sync' }) type: string;
  @ApiProperty({ example: 'Inventory sync' }) type_label: string;
  @ApiProperty({ enum: RUN_STATUSES }) status: string;
  @ApiProperty({ enum: RUN_OUTCOMES }) outcome: string;
  @ApiProperty({ type: InitiatorRefDoc, nullable: true, description: 'Null for system runs' })
  initiator: InitiatorRefDoc | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) created_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_heartbeat_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completed_at: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { total: 12, processed: 12 } })
  summary_counts: Record<string, number>;
  @ApiProperty({ enum: FRESHNESS_VALUES }) freshness: string;
  @ApiProperty({ enum: PROBLEM_CLASSES }) problem_class: string;
  @ApiProperty({ type: ProgressDoc }) progress: ProgressDoc;
  @ApiProperty({ type: PresentationDoc }) presentation: PresentationDoc;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'Reconciled runs only' })
  reconciliation: object | null;
  @ApiProperty({ type: RelatedDoc, nullable: true }) related: RelatedDoc | null;
  @ApiProperty({ type: [FailureDoc] }) failures: FailureDoc[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Raw detail; present only for callers holding operations.view_diagnostics',
  })
  diagnostics?: object;
}

export class StartOperationResponse {
  @ApiProperty({ type: RunResourceDoc }) run: RunResourceDoc;
  @ApiProperty({ description: 'False when an identical active run already existed (that run is returned)' })
  created: boolean;
}

class TabCountsDoc {
  @ApiProperty() all: number;
  @ApiProperty() active: number;
  @ApiProperty() active_stale_attention: number;
  @ApiProperty() terminal_follow_up: number;
  @ApiProperty() reconciled: number;
}

export class OperationListResponse {
  @ApiProperty({ type: [RunResourceDoc] }) items: RunResourceDoc[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
  @ApiProperty({ type: TabCountsDoc, description: 'Per tab, under the same scope and filters' })
  counts: TabCountsDoc;
}
