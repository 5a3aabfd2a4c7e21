import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CreateBaselineProfileCommand } from '../../application/create-baseline-profile.use-case';
import { BaselineNameRules, PolicyKindsRules } from './baseline-fields.validation';

/** Body of POST /api/v1/workspaces/:workspace/baselines. */
export class CreateBaselineRequest implements CreateBaselineProfileCommand {
  @ApiProperty({ example: 'Contoso security baseline' })
  @BaselineNameRules()
  name: string;

  @ApiProperty({ description: 'Slug of the environment the baseline is captured from', example: 'contoso-hq' })
  @IsString({ message: 'source_environment must be an environment slug' })
  @IsNotEmpty({ message: 'source_environment must not be empty' })
  @MaxLength(100)
  source_environment: string;

  @ApiPropertyOptional({ description: 'Policy kinds to include; empty or left out means all', type: [String] })
  @IsOptional()
  @PolicyKindsRules()
  policy_kinds?: string[];
}
