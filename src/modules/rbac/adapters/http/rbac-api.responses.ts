import { ApiProperty } from '@nestjs/swagger';
import { ALL_CAPABILITIES } from '../../core/capabilities';
import { ROLES } from '../../core/roles';

/** Response shapes of the identity API, for OpenAPI (controllers return plain objects). */
export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() display_name: string;
}

export class WorkspaceItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'contoso-msp' }) slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ description: 'False when the membership is limited to some environments' }) all_environments: boolean;
  @ApiProperty({ enum: ALL_CAPABILITIES, isArray: true }) capabilities: string[];
}

export class WorkspaceListResponse {
  @ApiProperty({ type: [WorkspaceItem] }) items: WorkspaceItem[];
}

export class ApiTokenItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'deploy pipeline' }) name: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null until first used (recorded at most once a minute)' })
  last_used_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null: never expires' }) expires_at: string | null;
  @ApiProperty({ description: 'True from expires_at on: the token no longer authenticates' }) expired: boolean;
}

export class ApiTokenListResponse {
  @ApiProperty({ type: [ApiTokenItem], description: 'Your tokens that are not revoked, newest first; never the secret' })
  items: ApiTokenItem[];
}

export class ApiTokenCreatedResponse extends ApiTokenItem {
  @ApiProperty({ description: 'The token itself (odk_…): shown in this answer only, stored hashed', example: 'odk_…' })
  token: string;
}
