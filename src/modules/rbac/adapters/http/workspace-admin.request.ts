import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_WORKSPACE_NAME_LENGTH, MAX_WORKSPACE_SLUG_LENGTH } from '../../core/workspace-identity';

/** Body of POST /api/v1/workspaces (the slug's shape is checked by the use case: `invalid_workspace_slug`). */
export class CreateWorkspaceRequest {
  @ApiProperty({
    description: 'Lowercase letters, digits and hyphens (not first or last); 1–63 characters. Never changes: URLs use it.',
    example: 'contoso-msp',
    pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$',
    maxLength: MAX_WORKSPACE_SLUG_LENGTH,
  })
  @IsString({ message: 'slug must be a string' })
  @IsNotEmpty({ message: 'slug must not be empty' })
  @MaxLength(256, { message: `slug must be at most ${MAX_WORKSPACE_SLUG_LENGTH} characters long` })
  slug: string;

  @ApiProperty({ description: 'Display name (trimmed)', example: 'Contoso MSP', maxLength: MAX_WORKSPACE_NAME_LENGTH })
  @IsString({ message: 'name must be a string' })
  @MaxLength(1024, { message: `name must be at most ${MAX_WORKSPACE_NAME_LENGTH} characters long` })
  name: string;
}

/** Body of PATCH /api/v1/workspaces/:workspace. */
export class RenameWorkspaceRequest {
  @ApiProperty({ description: 'The new display name (trimmed); the slug stays', example: 'Contoso Managed Services', maxLength: MAX_WORKSPACE_NAME_LENGTH })
  @IsString({ message: 'name must be a string' })
  @MaxLength(1024, { message: `name must be at most ${MAX_WORKSPACE_NAME_LENGTH} characters long` })
  name: string;
}
