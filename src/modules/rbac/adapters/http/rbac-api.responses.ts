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

export class EnvironmentItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'contoso-hq' }) slug: string;
  @ApiProperty() name: string;
}

export class EnvironmentListResponse {
  @ApiProperty({ type: [EnvironmentItem] }) items: EnvironmentItem[];
}
