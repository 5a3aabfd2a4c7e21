import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ListMemberWorkspaces } from '../../application/list-member-workspaces.query';
import { IsPlatformAdmin } from '../../application/is-platform-admin.query';
import { ApiAuthenticated } from './authenticated.decorator';
import { CurrentAccess, RequestAccess } from './request-access';
import { API_UNAUTHENTICATED } from '../../../../shared/adapters/http/api-error.schema';
import { MeResponse, WorkspaceListResponse } from './rbac-api.responses';

/**
 * The caller and the workspaces it may see. Everything outside it answers 404, never 403. A
 * workspace's environments are listed by the workspaces module (environment administration).
 */
@ApiTags('identity')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1')
export class RbacApiController {
  constructor(
    @Inject(ListMemberWorkspaces) private readonly memberWorkspaces: ListMemberWorkspaces,
    @Inject(IsPlatformAdmin) private readonly platformAdmin: IsPlatformAdmin,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The user the API token belongs to' })
  @ApiResponse({ status: 200, type: MeResponse })
  async me(@CurrentAccess() caller: RequestAccess): Promise<MeResponse> {
    const platformAdmin = await this.platformAdmin.execute(caller);
    return { id: caller.userId, email: caller.email, display_name: caller.displayName, platform_admin: platformAdmin };
  }

  @Get('workspaces')
  @ApiOperation({ summary: 'Workspaces the user is a member of, with role and capabilities' })
  @ApiResponse({ status: 200, type: WorkspaceListResponse })
  async workspaces(@CurrentAccess() caller: RequestAccess): Promise<WorkspaceListResponse> {
    const workspaces = await this.memberWorkspaces.execute(caller);
    return {
      items: workspaces.map((w) => ({
        id: w.id,
        slug: w.slug,
        name: w.name,
        role: w.role,
        all_environments: w.allEnvironments,
        capabilities: w.capabilities,
      })),
    };
  }
}
