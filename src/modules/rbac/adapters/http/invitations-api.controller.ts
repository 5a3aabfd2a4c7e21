import { Controller, Delete, HttpCode, HttpStatus, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { API_UNAUTHENTICATED, apiError, PATH_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { RevokeInvitation } from '../../application/revoke-invitation.use-case';
import { ApiAuthenticated } from './authenticated.decorator';
import { CurrentAccess, RequestAccess } from './request-access';

/**
 * A workspace's pending invitations (members.manage), which `GET …/members` lists: the same use
 * case as the members page's Revoke button and `invitation:revoke`.
 */
@ApiTags('members')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/workspaces/:workspace/invitations')
export class InvitationsApiController {
  constructor(@Inject(RevokeInvitation) private readonly revoke: RevokeInvitation) {}

  @Delete(':invitation')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a pending invitation: its /invite/… link stops working at once' })
  @ApiParam({ name: 'invitation', format: 'uuid', description: "The invitation's id, as GET …/members and POST …/members answer it" })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiResponse(apiError(400, 'A NUL character in the path', PATH_CODES))
  @ApiResponse(
    apiError(403, 'Without members.manage; or the invitation grants a role above your own, or environments outside your own', [
      'forbidden',
      'role_above_yours',
      'scope_outside_yours',
    ]),
  )
  @ApiResponse(
    apiError(404, 'Unknown workspace, not a member, or (for :invitation) no pending invitation of this workspace (unknown, accepted, expired or revoked) — indistinguishable', [
      'not_found',
    ]),
  )
  async revokeInvitation(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Param('invitation') invitation: string): Promise<void> {
    await this.revoke.execute(caller, workspace, { id: invitation });
  }
}
