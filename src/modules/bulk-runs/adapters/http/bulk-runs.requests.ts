import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { RUN_OUTCOMES, RUN_STATUSES } from '../../../operations/core/operation-run';
import { ARCHIVED_CHOICES } from '../../../operations/core/archived-environments';
import { PROBLEM_CLASSES } from '../../../operations/core/problem-class';
import { RUN_TABS } from '../../../operations/core/run-tabs';
import { BULK_ACTIONS, MAX_FAN_OUT_ENVIRONMENTS } from '../../core/bulk-run-types';

/** The hub list's query parameters, as a bulk action's `filter` (documentation; parseBulkFilter checks it). */
class BulkFilterDoc {
  @ApiPropertyOptional({ enum: RUN_TABS }) tab?: string;
  @ApiPropertyOptional({ description: 'Environment slug: the bulk run then belongs to that environment' }) environment?: string;
  @ApiPropertyOptional({ enum: ARCHIVED_CHOICES, description: 'exclude: leave out the runs of archived environments' }) archived?: string;
  @ApiPropertyOptional({ description: 'Operation type (canonical or legacy alias)' }) type?: string;
  @ApiPropertyOptional({ enum: RUN_STATUSES }) status?: string;
  @ApiPropertyOptional({ enum: RUN_OUTCOMES }) outcome?: string;
  @ApiPropertyOptional({ enum: PROBLEM_CLASSES }) problem_class?: string;
  @ApiPropertyOptional({ format: 'uuid' }) initiator?: string;
  @ApiPropertyOptional({ example: '2026-11-01' }) from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) to?: string;
}

/** Body of POST /api/v1/workspaces/:workspace/operations/bulk. */
export class BulkActionRequest {
  @ApiProperty({ enum: BULK_ACTIONS, description: 'cancel: the active runs of the view; retry: its failed, blocked, cancelled or partially succeeded runs not yet retried' })
  @IsIn(BULK_ACTIONS, { message: `action must be one of: ${BULK_ACTIONS.join(', ')}` })
  action: string;

  @ApiPropertyOptional({ type: BulkFilterDoc, description: "The hub list's query parameters (without limit and cursor); absent: every run of the workspace" })
  @IsOptional()
  @IsObject({ message: "filter must be an object of the hub list's query parameters" })
  filter?: Record<string, unknown>;
}

/** Body of POST /api/v1/workspaces/:workspace/operations/fan-out. */
export class FanOutRequest {
  @ApiProperty({ description: "An environment's operation type to start in each environment", example: 'inventory.sync' })
  @IsString({ message: 'type must be a string naming an operation type' })
  @IsNotEmpty({ message: 'type must not be empty' })
  @MaxLength(100)
  type: string;

  @ApiProperty({
    oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_FAN_OUT_ENVIRONMENTS }],
    description: '"all" (every environment, archived ones skipped) or environment slugs',
    example: 'all',
  })
  @IsDefined({ message: 'environments must be "all" or a list of environment slugs' })
  environments: unknown;

  @ApiPropertyOptional({ description: "The type's start input, the same for every environment", type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'input must be a JSON object' })
  input?: Record<string, unknown>;
}

class RunChildDoc {
  @ApiProperty({ example: 'cancelled', description: 'What the bulk run did: cancelled, cancel_requested, already_cancelling, already_finished, retried, not_retryable, started, already_active, not_found, forbidden, refused' })
  result: string;
  @ApiProperty({ enum: ['acted', 'skipped', 'refused'] }) result_kind: string;
  @ApiProperty({ type: 'string', nullable: true, description: "Why it was refused, in the refusing rule's words" }) message: string | null;
  @ApiProperty({ description: 'The run (a retry: the new run, whose retry_of names the old one)', type: 'object', additionalProperties: true })
  run: Record<string, unknown>;
}

export class RunChildrenResponse {
  @ApiProperty({ type: [RunChildDoc] }) items: RunChildDoc[];
  @ApiProperty({ type: 'string', nullable: true }) next_cursor: string | null;
}

/** Query of GET /api/v1/operations/:id/children. */
export class ListRunChildrenRequest {
  @ApiPropertyOptional({ description: 'Opaque cursor: next_cursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the next_cursor of a previous page' })
  @MaxLength(40, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;
}
