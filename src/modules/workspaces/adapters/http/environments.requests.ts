import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { CreateEnvironmentCommand } from '../../application/create-environment.use-case';
import { UpdateEnvironmentCommand } from '../../application/update-environment.use-case';

/** `provider`: a kind from the provider registry and that kind's settings (the kind validates them). */
export class ProviderSettingsDoc {
  @ApiProperty({ example: 'fixture', description: 'Inventory provider kind; known kinds: fixture' }) kind: string;
}

const PROVIDER_DOC = {
  type: ProviderSettingsDoc,
  description: 'The inventory provider: { kind, …that kind\'s settings }. "fixture" takes no settings.',
  example: { kind: 'fixture' },
};

/** Body of POST /api/v1/workspaces/:workspace/environments (slug rules are checked by the use case: invalid_slug). */
export class CreateEnvironmentRequest implements CreateEnvironmentCommand {
  @ApiProperty({ example: 'contoso-eu', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$', description: '1–63 lowercase letters, digits, hyphens; unique in the workspace; never changes' })
  @IsString({ message: 'slug must be a string' })
  @MaxLength(200, { message: 'slug must be at most 63 characters long' })
  slug: string;

  @ApiProperty({ example: 'Contoso EU', maxLength: 120 })
  @IsString({ message: 'display_name must be a string' })
  @MaxLength(1000, { message: 'display_name must be at most 120 characters long' })
  display_name: string;

  @ApiProperty(PROVIDER_DOC)
  @IsObject({ message: 'provider must be an object with a kind' })
  provider: Record<string, unknown>;
}

/** Body of PATCH …/environments/:environment: any of display_name and provider. */
export class UpdateEnvironmentRequest implements UpdateEnvironmentCommand {
  @ApiPropertyOptional({ example: 'Contoso Europe', maxLength: 120 })
  @IsOptional()
  @IsString({ message: 'display_name must be a string' })
  @MaxLength(1000, { message: 'display_name must be at most 120 characters long' })
  display_name?: string;

  @ApiPropertyOptional(PROVIDER_DOC)
  @IsOptional()
  @IsObject({ message: 'provider must be an object with a kind' })
  provider?: Record<string, unknown>;
}
