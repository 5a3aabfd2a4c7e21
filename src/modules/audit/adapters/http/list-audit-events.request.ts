import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { AuditEventsFilter, DEFAULT_AUDIT_PAGE_SIZE } from '../../application/list-audit-events.query';

export const MAX_AUDIT_PAGE_SIZE = 200;

const LIMIT_MESSAGE = `limit must be a whole number between 1 and ${MAX_AUDIT_PAGE_SIZE}`;
const CURSOR_MESSAGE = 'cursor must be the next_cursor of a previous page';

/** Query of GET /api/v1/workspaces/:workspace/audit; unknown parameters are rejected. */
export class ListAuditEventsRequest implements AuditEventsFilter {
  @ApiPropertyOptional({ description: 'Exact action name', example: 'operation.completed' })
  @IsOptional()
  @IsString({ message: 'action must be a single action name' })
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'Environment slug: only that environment\'s events (404 when hidden)', example: 'contoso-hq' })
  @IsOptional()
  @IsString({ message: 'environment must be an environment slug' })
  @MaxLength(100, { message: 'environment must be an environment slug' })
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'environment must be an environment slug' })
  environment?: string;

  @ApiPropertyOptional({ description: 'Id of the acting user', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'actor must be a user id (UUID)' })
  actor?: string;

  @ApiPropertyOptional({ description: 'Events at or after this instant (ISO 8601)', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'Events before this instant (ISO 8601, exclusive)', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: DEFAULT_AUDIT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_AUDIT_PAGE_SIZE, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: next_cursor of the previous page' })
  @IsOptional()
  @IsString({ message: CURSOR_MESSAGE })
  @MaxLength(200, { message: CURSOR_MESSAGE })
  cursor?: string;
}
