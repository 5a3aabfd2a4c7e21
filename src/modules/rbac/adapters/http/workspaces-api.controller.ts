import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  API_PAYLOAD_TOO_LARGE,
  API_UNAUTHENTICATED,
  API_UNSUPPORTED_BODY,
  apiError,
  BODY_CODES,
} from '../../../../shared/adapters/http/api-error.schema';
import { CreateWorkspace } from '../../application/create-workspace.use-case';
import { RenameWorkspace } from '../../application/rename-workspace.use-case';
import { WorkspaceRef } from '../../core/ports/tenancy-directory.port';
import { ApiAuthenticated } from './authenticated.decorator';
import { WorkspaceResponse } from './rbac-api.responses';
import { CurrentAccess, RequestAccess } from './request-access';
import { CreateWorkspaceRequest, RenameWorkspaceRequest } from './workspace-admin.request';

const toResponse = (w: WorkspaceRef): WorkspaceResponse => ({ id: w.id, slug: w.slug, name: w.name });

/** Workspaces: platform administrators create them (and own them); owners rename them. */
@ApiTags('identity')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/workspaces')
export class WorkspacesApiController {
  constructor(
    @Inject(CreateWorkspace) private readonly createWorkspace: CreateWorkspace,
    @Inject(RenameWorkspace) private readonly renameWorkspace: RenameWorkspace,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a workspace (platform administrators); the caller becomes its owner for all environments' })
  @ApiResponse({ status: 201, type: WorkspaceResponse })
  @ApiResponse(apiError(400, 'Invalid body, slug or name', [...BODY_CODES, 'invalid_workspace_slug', 'invalid_workspace_name']))
  @ApiResponse(apiError(403, 'The caller is not a platform administrator', ['forbidden']))
  @ApiResponse(apiError(409, 'The slug is taken', ['workspace_slug_taken']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  async create(@CurrentAccess() caller: RequestAccess, @Body() body: CreateWorkspaceRequest): Promise<WorkspaceResponse> {
    return toResponse(await this.createWorkspace.execute(caller, body));
  }

  @Patch(':workspace')
  @ApiOperation({ summary: 'Rename a workspace (workspace.manage: owners); the slug and every URL stay' })
  @ApiResponse({ status: 200, type: WorkspaceResponse })
  @ApiResponse(apiError(400, 'Invalid body or name, or a NUL character in the slug', [...BODY_CODES, 'invalid_workspace_name']))
  @ApiResponse(apiError(403, 'A member whose role lacks workspace.manage', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown workspace, or not a member (indistinguishable)', ['not_found']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  async rename(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: RenameWorkspaceRequest,
  ): Promise<WorkspaceResponse> {
    return toResponse(await this.renameWorkspace.execute(caller, workspace, body));
  }
}
