import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import {
  API_PAYLOAD_TOO_LARGE,
  API_UNAUTHENTICATED,
  API_UNSUPPORTED_BODY,
  apiError,
  BODY_CODES,
  PATH_CODES,
} from '../../../../shared/adapters/http/api-error.schema';
import { ArchiveEnvironment } from '../../application/archive-environment.use-case';
import { CreateEnvironment } from '../../application/create-environment.use-case';
import { EnvironmentView } from '../../application/environment-admin-view';
import { ListEnvironments } from '../../application/list-environments.query';
import { RestoreEnvironment } from '../../application/restore-environment.use-case';
import { UpdateEnvironment } from '../../application/update-environment.use-case';
import { EnvironmentDoc, EnvironmentListDoc } from './environments-api.responses';
import { CreateEnvironmentRequest, UpdateEnvironmentRequest } from './environments.requests';

const NOT_FOUND_ENV = apiError(404, 'Unknown or hidden workspace or environment (indistinguishable)', ['not_found']);
const FORBIDDEN = apiError(403, 'In scope, but the role lacks environments.manage', ['forbidden']);

/** A workspace's environments: listed for every member, administered with environments.manage. */
@ApiTags('environments')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/workspaces/:workspace/environments')
export class EnvironmentsApiController {
  constructor(
    @Inject(ListEnvironments) private readonly list: ListEnvironments,
    @Inject(CreateEnvironment) private readonly create: CreateEnvironment,
    @Inject(UpdateEnvironment) private readonly update: UpdateEnvironment,
    @Inject(ArchiveEnvironment) private readonly archive: ArchiveEnvironment,
    @Inject(RestoreEnvironment) private readonly restore: RestoreEnvironment,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Environments of a workspace the user is entitled to, with archived and provider' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 200, type: EnvironmentListDoc })
  @ApiResponse(apiError(400, 'A NUL character in the workspace slug', PATH_CODES))
  @ApiResponse(apiError(404, 'Unknown workspace, or not a member (indistinguishable)', ['not_found']))
  async environments(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string): Promise<{ items: EnvironmentView[] }> {
    return { items: await this.list.execute(caller, workspace) };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add an environment (environments.manage, membership over every environment)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 201, description: 'The new environment', type: EnvironmentDoc })
  @ApiResponse(
    apiError(400, 'Invalid body: slug rules, blank or long display name, unknown provider kind or settings it refuses', [
      ...BODY_CODES,
      'invalid_slug',
      'invalid_display_name',
      'invalid_provider',
    ]),
  )
  @ApiResponse(apiError(403, 'A member without environments.manage, or limited to some environments', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown workspace, or not a member (indistinguishable)', ['not_found']))
  @ApiResponse(apiError(409, 'The workspace already has an environment with this slug', ['environment_exists']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  created(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: CreateEnvironmentRequest,
  ): Promise<EnvironmentView> {
    return this.create.execute(caller, workspace, body);
  }

  @Patch(':environment')
  @ApiOperation({ summary: 'Rename an environment or change its provider settings (environments.manage); the slug never changes' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 200, description: 'The environment', type: EnvironmentDoc })
  @ApiResponse(apiError(400, 'Invalid body: blank or long display name, unknown provider kind or settings it refuses', [...BODY_CODES, 'invalid_display_name', 'invalid_provider']))
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND_ENV)
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  updated(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Body() body: UpdateEnvironmentRequest,
  ): Promise<EnvironmentView> {
    return this.update.execute(caller, workspace, environment, body);
  }

  @Post(':environment/archive')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Archive an environment: history stays readable, new runs are refused (environments.manage)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 200, description: 'The environment, archived', type: EnvironmentDoc })
  @ApiResponse(apiError(400, 'A NUL character in a slug', PATH_CODES))
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND_ENV)
  archived(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Param('environment') environment: string): Promise<EnvironmentView> {
    return this.archive.execute(caller, workspace, environment);
  }

  @Post(':environment/restore')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Restore an archived environment: it accepts runs again (environments.manage)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 200, description: 'The environment, active', type: EnvironmentDoc })
  @ApiResponse(apiError(400, 'A NUL character in a slug', PATH_CODES))
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND_ENV)
  restored(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string, @Param('environment') environment: string): Promise<EnvironmentView> {
    return this.restore.execute(caller, workspace, environment);
  }
}
