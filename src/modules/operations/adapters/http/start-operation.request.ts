import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST …/environments/:environment/operations. */
export class StartOperationRequest {
  @ApiProperty({ description: 'Canonical operation type (legacy aliases accepted)', example: 'inventory.sync' })
  @IsString({ message: 'type must be a string naming an operation type' })
  @IsNotEmpty({ message: 'type must not be empty' })
  @MaxLength(100)
  type: string;

  @ApiPropertyOptional({
    description: "Start input, validated by the type's handler",
    type: 'object',
    additionalProperties: true,
    example: {},
  })
  @IsOptional()
  @IsObject({ message: 'input must be a JSON object' })
  input?: Record<string, unknown>;
}
