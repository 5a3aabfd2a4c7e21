import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST /api/v1/workspaces/:workspace/baselines. */
export class CreateBaselineRequest {
  @ApiProperty({ example: 'Contoso security baseline' })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name: string;

  @ApiProperty({ description: 'Slug of the environment the baseline is captured from', example: 'contoso-hq' })
  @IsString({ message: 'source_environment must be an environment slug' })
  @IsNotEmpty({ message: 'source_environment must not be empty' })
  @MaxLength(100)
  source_environment: string;

  @ApiPropertyOptional({ description: 'Policy kinds to include; empty or left out means all', type: [String] })
  @IsOptional()
  @IsArray({ message: 'policy_kinds must be a list of policy kinds' })
  @ArrayMaxSize(100, { message: 'policy_kinds may list at most 100 kinds' })
  @IsString({ each: true, message: 'policy_kinds must be a list of policy kinds' })
  @IsNotEmpty({ each: true, message: 'policy_kinds must not contain empty kinds' })
  @MaxLength(100, { each: true, message: 'each policy kind must be at most 100 characters' })
  policy_kinds?: string[];
}
