import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  API_PAYLOAD_TOO_LARGE,
  API_UNAUTHENTICATED,
  API_UNSUPPORTED_BODY,
  apiError,
  BODY_CODES,
  PATH_CODES,
} from '../../../../shared/adapters/http/api-error.schema';
import { AddMember } from '../../application/add-member.use-case';
import { ChangeMember } from '../../application/change-member.use-case';
import { ListWorkspaceMembers, WorkspaceMembers } from '../../application/list-workspace-members.query';
import { InvitationView, MemberView } from '../../application/member-views';
import { RemoveMember } from '../../application/remove-member.use-case';
import { ApiAuthenticated } from './authenticated.decorator';
import { AddMemberRequest, ChangeMemberRequest } from './members.request';
import { MemberAddedResponse, MemberListResponse, MemberResponse } from './rbac-api.responses';
import { CurrentAccess, RequestAccess } from './request-access';
import { PublicUrls } from '../../../../shared/adapters/http/public-urls';

const NOT_FOUND = apiError(404, 'Unknown workspace, not a member, or (for :user) not a member of this workspace — indistinguishable', ['not_found']);
const ESCALATION = apiError(403, 'Without members.manage; or a role above your own, or environments outside your own', [
  'forbidden',
  'role_above_yours',
  'scope_outside_yours',
]);
const SCOPE_CODES = ['invalid_role', 'invalid_environments', 'unknown_environment'];

/** A workspace's members and invitations (members.manage): the same use cases as the members page. */
@ApiTags('members')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/workspaces/:workspace/members')
export class MembersApiController {
  constructor(
    @Inject(ListWorkspaceMembers) private readonly list: ListWorkspaceMembers,
    @Inject(AddMember) private readonly add: AddMember,
    @Inject(ChangeMember) private readonly change: ChangeMember,
    @Inject(RemoveMember) private readonly remove: RemoveMember,
    @Inject(PublicUrls) private readonly urls: PublicUrls,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Members (owners first) and pending invitations' })
  @ApiResponse({ status: 200, type: MemberListResponse })
  @ApiResponse(apiError(400, 'A NUL character in the path', PATH_CODES))
  @ApiResponse(apiError(403, 'Your role lacks members.manage', ['forbidden']))
  @ApiResponse(NOT_FOUND)
  async members(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string): Promise<WorkspaceMembers> {
    return this.list.execute(caller, workspace);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add an existing user, or invite an email (a one-time link valid 7 days, in invitation_url, shown once)' })
  @ApiResponse({ status: 201, description: '`member` for an existing user; `invitation` and `invitation_url` otherwise', type: MemberAddedResponse })
  @ApiResponse(apiError(400, 'Invalid body: email, role, environments', [...BODY_CODES, 'invalid_email', ...SCOPE_CODES]))
  @ApiResponse(ESCALATION)
  @ApiResponse(NOT_FOUND)
  @ApiResponse(apiError(409, 'The user is already a member: change their role instead', ['already_member']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  async addMember(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: AddMemberRequest,
  ): Promise<{ member: MemberView } | { invitation: InvitationView; invitation_url: string }> {
    const added = await this.add.execute(caller, workspace, body);
    return added.kind === 'member' ? { member: added.member } : { invitation: added.invitation, invitation_url: this.urls.of(added.invitation_url) };
  }

  @Patch(':user')
  @ApiOperation({ summary: "Change a member's role and/or environments; effective on their next request" })
  @ApiParam({ name: 'user', format: 'uuid', description: "The member's user id" })
  @ApiResponse({ status: 200, type: MemberResponse })
  @ApiResponse(apiError(400, 'Invalid body: role, environments', [...BODY_CODES, ...SCOPE_CODES]))
  @ApiResponse(ESCALATION)
  @ApiResponse(NOT_FOUND)
  @ApiResponse(apiError(409, 'The workspace would have no owner left', ['last_owner']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  async changeMember(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('user') user: string,
    @Body() body: ChangeMemberRequest,
  ): Promise<{ member: MemberView }> {
    return { member: await this.change.execute(caller, workspace, user, body) };
  }

  @Delete(':user')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member from the workspace (their account stays); effective on their next request' })
  @ApiParam({ name: 'user', format: 'uuid', description: "The member's user id" })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiResponse(apiError(400, 'A NUL character in the path', PATH_CODES))
  @ApiResponse(ESCALATION)
  @ApiResponse(NOT_FOUND)
  @ApiResponse(apiError(409, 'The workspace would have no owner left', ['last_owner']))
  async removeMember(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Param('user') user: string): Promise<void> {
    await this.remove.execute(caller, workspace, user);
  }
}
