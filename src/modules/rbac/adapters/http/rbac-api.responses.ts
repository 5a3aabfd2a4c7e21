import { ApiProperty } from '@nestjs/swagger';
import { ALL_CAPABILITIES } from '../../core/capabilities';
import { ROLES } from '../../core/roles';

/** Response shapes of the identity API, for OpenAPI (controllers return plain objects). */
export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() display_name: string;
  @ApiProperty({ description: 'A platform administrator: may create workspaces' }) platform_admin: boolean;
}

export class WorkspaceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'contoso-msp' }) slug: string;
  @ApiProperty({ example: 'Contoso MSP' }) name: string;
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

const ENVIRONMENTS_ANSWER = {
  description: '"all", or the slugs of the environments the membership is limited to (only those you can see)',
  oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string' } }],
};

export class MemberUser {
  @ApiProperty({ format: 'uuid', description: 'The id PATCH and DELETE …/members/:user take' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() display_name: string;
}

export class MemberItem {
  @ApiProperty({ type: MemberUser }) user: MemberUser;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty(ENVIRONMENTS_ANSWER) environments: 'all' | string[];
}

export class InvitedBy {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
}

export class InvitationItem {
  @ApiProperty({ format: 'uuid', description: 'The id DELETE …/invitations/:invitation takes' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty(ENVIRONMENTS_ANSWER) environments: 'all' | string[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', description: 'The link stops working then (7 days after the invitation)' }) expires_at: string;
  @ApiProperty({ type: InvitedBy, nullable: true, description: 'Who sent it; null once that user is deleted' }) invited_by: InvitedBy | null;
}

export class MemberListResponse {
  @ApiProperty({ type: [MemberItem], description: 'Owners first, then by email' }) items: MemberItem[];
  @ApiProperty({ type: [InvitationItem], description: 'Pending invitations (not accepted, revoked or expired), oldest first' })
  invitations: InvitationItem[];
}

export class MemberResponse {
  @ApiProperty({ type: MemberItem }) member: MemberItem;
}

export class MemberAddedResponse {
  @ApiProperty({ type: MemberItem, required: false, description: 'Present when the email belonged to a user: they are a member now' })
  member?: MemberItem;
  @ApiProperty({ type: InvitationItem, required: false, description: 'Present when no user has the email: an invitation was created' })
  invitation?: InvitationItem;
  @ApiProperty({
    required: false,
    description: 'With an invitation: the one-time link (a path on this server) to hand to the invitee; shown in this answer only, stored hashed',
    example: '/invite/…',
  })
  invitation_url?: string;
}
