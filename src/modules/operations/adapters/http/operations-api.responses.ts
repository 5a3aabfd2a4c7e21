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
  @ApiProperty({ enum: ['status', 'outcome', 'freshness', 'cancellation'], description: 'cancellation: only while a requested cancel waits for the worker' })
  kind: string;
  @ApiProperty() value: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['neutral', 'info', 'success', 'warning', 'danger'] }) tone: string;
}

class RunLinksDoc {
  @ApiProperty({ example: '/operations/7f0c…', description: 'The run page' }) self: string;
  @ApiPropertyOptional({ example: '/operations/9a1d…', description: 'Only on a failed, blocked or partially succeeded run that a later success of the same work superseded: that run\'s page' })
  superseded_by?: string;
  @ApiPropertyOptional({ example: '/operations/5b2e…', description: 'Only on a retry: the page of the run it retries' })
  retry_of?: string;
  @ApiPropertyOptional({ example: '/operations/c41f…', description: 'Only on a run that was retried: the page of its latest retry' })
  retried_as?: string;
}

class PresentationDoc {
  @ApiProperty({ nullable: true, type: String, description: 'Run page heading for a state that needs escalating ("Likely stale operation"); null otherwise' })
  banner: string | null;
  @ApiProperty() headline: string;
  @ApiProperty({ nullable: true, type: String }) guidance: string | null;
  @ApiProperty({ type: [BadgeDoc] }) badges: BadgeDoc[];
  @ApiProperty({ type: RunLinksDoc }) links: RunLinksDoc;
}

class CountedDoc {
  @ApiProperty() processed: number;
  @ApiProperty() total: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) percent: number;
}

class PhaseDoc {
  @ApiProperty({ example: 'comparing' }) key: string;
  @ApiProperty({ example: 'Comparing' }) label: string;
  @ApiProperty({ description: '1-based position of the current phase' }) index: number;
  @ApiProperty() count: number;
}

class CompositePartDoc {
  @ApiProperty({ example: 'baseline_drift' }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['pending', 'ready', 'missing'] }) state: string;
}

class CompositeDoc {
  @ApiProperty({ type: [CompositePartDoc] }) parts: CompositePartDoc[];
  @ApiProperty() ready: number;
  @ApiProperty() total: number;
}

class LastReportedDoc {
  @ApiProperty() processed: number;
  @ApiProperty() total: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: "The worker's last report; null when it made none" })
  reported_at: string | null;
  @ApiProperty({ example: 'Last reported 4 of 10 processed, 6 min ago' }) label: string;
}

class ProgressDoc {
  @ApiProperty({ enum: PROGRESS_MODES }) mode: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional({ type: CountedDoc, description: 'Counted mode only, never for a likely stale run' }) counted?: CountedDoc;
  @ApiPropertyOptional({ type: PhaseDoc, description: 'Phased mode only (no percentage)' }) phase?: PhaseDoc;
  @ApiPropertyOptional({ type: CompositeDoc, description: 'Composite mode only (no percentage)' }) composite?: CompositeDoc;
  @ApiPropertyOptional({
    type: LastReportedDoc,
    description: 'Likely stale counted runs only, instead of counted: the last counts as history (no percentage)',
  })
  last_reported?: LastReportedDoc;
}

class FailureDoc {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

class RelatedDoc {
  @ApiProperty() type: string;
  @ApiProperty() id: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the inventory the artifact was built from was synced (baseline compare results)' })
  inventory_synced_at?: string;
}

/** The presenter's sanitized reconciliation block: strings only, null where the record had none. */
class ReconciliationDoc {
  @ApiProperty({ nullable: true, type: String, example: 'stale_running' }) reason: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'scheduled_reconciler' }) source: string | null;
  @ApiProperty({ example: 'Lifecycle reconciler' }) source_label: string;
  @ApiProperty({ nullable: true, type: String }) adapter: string | null;
  @ApiProperty({ nullable: true, type: String }) decision: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) reconciled_at: string | null;
  @ApiProperty({ nullable: true, type: String }) previous_status: string | null;
  @ApiProperty({ nullable: true, type: String }) previous_outcome: string | null;
  @ApiProperty({ example: 'Reconciled: the worker stopped reporting; no result was recorded.' }) message: string;
}

/** Who asked to cancel the run and when; the worker holding it stops within one heartbeat. */
class CancellationDoc {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null when the request came from the system' })
  requested_by: string | null;
  @ApiProperty({ format: 'date-time' }) requested_at: string;
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
  @ApiProperty({ type: ReconciliationDoc, nullable: true, description: 'Reconciled runs only; null otherwise' })
  reconciliation: ReconciliationDoc | null;
  @ApiProperty({ type: RelatedDoc, nullable: true }) related: RelatedDoc | null;
  @ApiProperty({ type: [FailureDoc] }) failures: FailureDoc[];
  @ApiProperty({ type: CancellationDoc, nullable: true, description: 'The cancel request, if an operator made one; null otherwise' })
  cancellation: CancellationDoc | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The run this one retries' })
  retry_of: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The latest retry of this run' })
  retried_as: string | null;
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

export class CancelRunResponse {
  @ApiProperty({ type: RunResourceDoc }) run: RunResourceDoc;
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
