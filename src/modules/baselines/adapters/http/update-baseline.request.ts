import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, Equals, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const SOURCE_IMMUTABLE_MESSAGE = 'The source environment of a baseline cannot change; create a new baseline.';

/**
 * Body of PATCH /api/v1/workspaces/:workspace/baselines/:id: at least one of name and policy_kinds
 * (checked by the service). Unknown fields are rejected; the source environment is immutable, since
 * a changed source would invalidate the profile's snapshots.
 */
export class UpdateBaselineRequest {
  @ApiPropertyOptional({ example: 'Contoso security baseline v2' })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'Policy kinds to include; empty means all', type: [String] })
  @IsOptional()
  @IsArray({ message: 'policy_kinds must be a list of policy kinds' })
  @ArrayMaxSize(100, { message: 'policy_kinds may list at most 100 kinds' })
  @IsString({ each: true, message: 'policy_kinds must be a list of policy kinds' })
  @IsNotEmpty({ each: true, message: 'policy_kinds must not contain empty kinds' })
  @MaxLength(100, { each: true, message: 'each policy kind must be at most 100 characters' })
  policy_kinds?: string[];

  /** Declared only to answer a clear 400 instead of the generic unknown-field message. */
  @Equals(undefined, { message: SOURCE_IMMUTABLE_MESSAGE })
  source_environment?: never;
}
