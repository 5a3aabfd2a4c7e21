import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { RUN_OUTCOMES, RUN_STATUSES, RunOutcome, RunStatus } from '../../core/operation-run';
import { ARCHIVED_CHOICES, ArchivedChoice } from '../../core/archived-environments';
import { PROBLEM_CLASSES, ProblemClass } from '../../core/problem-class';
import { RUN_TABS, RunTab } from '../../core/run-tabs';

import { DEFAULT_PAGE_SIZE } from '../../application/list-operations.query';
export const MAX_PAGE_SIZE = 200;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of: ${values.join(', ')}` });

/** Query of GET /api/v1/workspaces/:workspace/operations; unknown parameters are rejected. */
export class ListOperationsRequest {
  @ApiPropertyOptional({ enum: RUN_TABS, default: 'all' })
  @IsOptional()
  @IsIn(RUN_TABS, oneOf('tab', RUN_TABS))
  tab?: RunTab;

  @ApiPropertyOptional({ description: 'Environment slug', example: 'contoso-hq' })
  @IsOptional()
  @IsString({ message: 'environment must be a single environment slug' })
  @MaxLength(100)
  environment?: string;

  @ApiPropertyOptional({ enum: ARCHIVED_CHOICES, default: 'include', description: 'exclude: leave out the runs of archived environments (workspace-level runs stay)' })
  @IsOptional()
  @IsIn(ARCHIVED_CHOICES, oneOf('archived', ARCHIVED_CHOICES))
  archived?: ArchivedChoice;

  @ApiPropertyOptional({ description: 'Operation type (canonical or legacy alias)', example: 'inventory.sync' })
  @IsOptional()
  @IsString({ message: 'type must be a single operation type' })
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES, oneOf('status', RUN_STATUSES))
  status?: RunStatus;

  @ApiPropertyOptional({ enum: RUN_OUTCOMES })
  @IsOptional()
  @IsIn(RUN_OUTCOMES, oneOf('outcome', RUN_OUTCOMES))
  outcome?: RunOutcome;

  @ApiPropertyOptional({ enum: PROBLEM_CLASSES, description: 'Only runs of this problem class (combinable with tab and the other filters)' })
  @IsOptional()
  @IsIn(PROBLEM_CLASSES, oneOf('problem_class', PROBLEM_CLASSES))
  problem_class?: ProblemClass;

  @ApiPropertyOptional({ description: 'Only runs started by this user (user id)', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'initiator must be a user id (UUID)' })
  initiator?: string;

  @ApiPropertyOptional({ description: 'Created on or after this day (UTC)', example: '2026-11-01' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day written YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Created on or before this day (UTC)', example: '2026-11-30' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day written YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number between 1 and ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `limit must be a whole number between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be a whole number between 1 and ${MAX_PAGE_SIZE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: next_cursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the next_cursor of a previous page' })
  @MaxLength(200, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;
}
