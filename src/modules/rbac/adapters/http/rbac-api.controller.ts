import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ListMemberEnvironments } from '../../application/list-member-environments.query';
import { ListMemberWorkspaces } from '../../application/list-member-workspaces.query';
import { IsPlatformAdmin } from '../../application/is-platform-admin.query';
import { ApiAuthenticated } from './authenticated.decorator';
import { CurrentAccess, RequestAccess } from './request-access';
import { API_UNAUTHENTICATED, apiError, PATH_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { EnvironmentListResponse, MeResponse, WorkspaceListResponse } from './rbac-api.responses';

/** The caller and the tenancy it may see. Everything outside it answers 404, never 403. */
@ApiTags('identity')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1')
export class RbacApiController {
  constructor(
    @Inject(ListMemberWorkspaces) private readonly memberWorkspaces: ListMemberWorkspaces,
    @Inject(ListMemberEnvironments) private readonly memberEnvironments: ListMemberEnvironments,
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

  @Get('workspaces/:workspace/environments')
  @ApiOperation({ summary: 'Environments of a workspace the user is entitled to' })
  @ApiResponse({ status: 200, type: EnvironmentListResponse })
  @ApiResponse(apiError(400, 'A NUL character in the workspace slug', PATH_CODES))
  @ApiResponse(apiError(404, 'Unknown workspace, or not a member (indistinguishable)', ['not_found']))
  async environments(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
  ): Promise<EnvironmentListResponse> {
    const environments = await this.memberEnvironments.execute(caller, workspace);
    return { items: environments.map((e) => ({ id: e.id, slug: e.slug, name: e.displayName })) };
  }
}
