import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from './api-token.guard';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { API_UNAUTHENTICATED, apiError, PATH_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { MemberScopeQueries } from '../../core/member-scope.queries';
import { EnvironmentListResponse, MeResponse, WorkspaceListResponse } from './rbac-api.responses';

/** The caller and the tenancy it may see. Everything outside it answers 404, never 403. */
@ApiTags('identity')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@UseGuards(ApiTokenGuard)
@Controller('api/v1')
export class RbacApiController {
  constructor(@Inject(MemberScopeQueries) private readonly scope: MemberScopeQueries) {}

  @Get('me')
  @ApiOperation({ summary: 'The user the API token belongs to' })
  @ApiResponse({ status: 200, type: MeResponse })
  me(@CurrentPrincipal() principal: Principal): MeResponse {
    return { id: principal.userId, email: principal.email, display_name: principal.displayName };
  }

  @Get('workspaces')
  @ApiOperation({ summary: 'Workspaces the user is a member of, with role and capabilities' })
  @ApiResponse({ status: 200, type: WorkspaceListResponse })
  async workspaces(@CurrentPrincipal() principal: Principal): Promise<WorkspaceListResponse> {
    const workspaces = await this.scope.workspacesOf(principal.userId);
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
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
  ): Promise<EnvironmentListResponse> {
    const environments = await this.scope.environmentsOf(principal.userId, workspace);
    return { items: environments.map((e) => ({ id: e.id, slug: e.slug, name: e.displayName })) };
  }
}
