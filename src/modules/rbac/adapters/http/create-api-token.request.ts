import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CreateApiTokenCommand } from '../../application/create-my-api-token.use-case';
import { MAX_TOKEN_LIFETIME_DAYS, MAX_TOKEN_NAME_LENGTH } from '../../core/api-token';

/** Body of POST /api/v1/me/tokens. */
export class CreateApiTokenRequest implements CreateApiTokenCommand {
  @ApiProperty({ description: 'A label to recognise the token by', example: 'deploy pipeline', maxLength: MAX_TOKEN_NAME_LENGTH })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(MAX_TOKEN_NAME_LENGTH, { message: `name must be at most ${MAX_TOKEN_NAME_LENGTH} characters long` })
  name: string;

  @ApiPropertyOptional({
    description: 'Lifetime in whole days; left out, the token never expires',
    type: 'integer',
    minimum: 1,
    maximum: MAX_TOKEN_LIFETIME_DAYS,
    example: 90,
  })
  @IsOptional()
  @IsInt({ message: 'expires_in_days must be a whole number of days' })
  @Min(1, { message: `expires_in_days must be from 1 to ${MAX_TOKEN_LIFETIME_DAYS}` })
  @Max(MAX_TOKEN_LIFETIME_DAYS, { message: `expires_in_days must be from 1 to ${MAX_TOKEN_LIFETIME_DAYS}` })
  expires_in_days?: number;
}
