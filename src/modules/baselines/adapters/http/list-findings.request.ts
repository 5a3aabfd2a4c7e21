import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_FINDINGS_PAGE, FindingsFilter } from '../../application/list-findings.query';
import { FINDING_TYPES, FindingType } from '../../core/drift';

export const MAX_FINDINGS_PAGE = 200;

const limitMessage = { message: `limit must be a whole number between 1 and ${MAX_FINDINGS_PAGE}` };

/** Query of GET …/baselines/:id/compare-results/:resultId/findings; unknown parameters are rejected. */
export class ListFindingsRequest implements FindingsFilter {
  @ApiPropertyOptional({ example: 'deviceConfiguration' })
  @IsOptional()
  @IsString({ message: 'kind must be a single policy kind' })
  @MaxLength(100)
  kind?: string;

  @ApiPropertyOptional({ enum: FINDING_TYPES })
  @IsOptional()
  @IsIn(FINDING_TYPES, { message: `type must be one of: ${FINDING_TYPES.join(', ')}` })
  type?: FindingType;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FINDINGS_PAGE, default: DEFAULT_FINDINGS_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt(limitMessage)
  @Min(1, limitMessage)
  @Max(MAX_FINDINGS_PAGE, limitMessage)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: next_cursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the next_cursor of a previous page' })
  @MaxLength(1000, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;
}
