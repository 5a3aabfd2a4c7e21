import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsOptional } from 'class-validator';
import { UpdateBaselineProfileCommand } from '../../application/update-baseline-profile.use-case';
import { BaselineNameRules, PolicyKindsRules } from './baseline-fields.validation';

export const SOURCE_IMMUTABLE_MESSAGE = 'The source environment of a baseline cannot change; create a new baseline.';

/**
 * Body of PATCH /api/v1/workspaces/:workspace/baselines/:id: at least one of name and policy_kinds
 * (checked by the use case). Unknown fields are rejected; the source environment is immutable, since
 * a changed source would invalidate the profile's snapshots.
 */
export class UpdateBaselineRequest implements UpdateBaselineProfileCommand {
  @ApiPropertyOptional({ example: 'Contoso security baseline v2' })
  @IsOptional()
  @BaselineNameRules()
  name?: string;

  @ApiPropertyOptional({ description: 'Policy kinds to include; empty means all', type: [String] })
  @IsOptional()
  @PolicyKindsRules()
  policy_kinds?: string[];

  /** Declared only to answer a clear 400 instead of the generic unknown-field message. */
  @Equals(undefined, { message: SOURCE_IMMUTABLE_MESSAGE })
  source_environment?: never;
}
