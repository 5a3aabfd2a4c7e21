import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import {
  API_PAYLOAD_TOO_LARGE,
  API_UNAUTHENTICATED,
  API_UNSUPPORTED_BODY,
  apiError,
  BODY_CODES,
  PATH_CODES,
  QUERY_CODES,
} from '../../../../shared/adapters/http/api-error.schema';
import { BaselineDetailDoc, BaselineDoc, BaselineListDoc, FindingListDoc } from './baselines-api.responses';
import { BaselineDetailView, BaselineView, FindingListView } from '../../application/baseline-read-models';
import { CreateBaselineProfile } from '../../application/create-baseline-profile.use-case';
import { GetBaselineProfile } from '../../application/get-baseline-profile.query';
import { ListBaselineProfiles } from '../../application/list-baseline-profiles.query';
import { ListFindings } from '../../application/list-findings.query';
import { UpdateBaselineProfile } from '../../application/update-baseline-profile.use-case';
import { CreateBaselineRequest } from './create-baseline.request';
import { ListFindingsRequest } from './list-findings.request';
import { UpdateBaselineRequest } from './update-baseline.request';

/**
 * Baseline profiles and drift findings. Capture and compare are operation runs: start them with
 * POST …/environments/:environment/operations and input { baseline_id }.
 */
@ApiTags('baselines')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/workspaces/:workspace/baselines')
export class BaselinesApiController {
  constructor(
    @Inject(ListBaselineProfiles) private readonly listProfiles: ListBaselineProfiles,
    @Inject(CreateBaselineProfile) private readonly createProfile: CreateBaselineProfile,
    @Inject(GetBaselineProfile) private readonly getProfile: GetBaselineProfile,
    @Inject(UpdateBaselineProfile) private readonly updateProfile: UpdateBaselineProfile,
    @Inject(ListFindings) private readonly listFindings: ListFindings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Baseline profiles whose source environment the user may see' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 200, type: BaselineListDoc })
  @ApiResponse(apiError(400, 'A NUL character in the workspace slug', PATH_CODES))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace', ['not_found']))
  list(@CurrentAccess() caller: RequestAccess, @Param('workspace') workspace: string): Promise<{ items: BaselineView[] }> {
    return this.listProfiles.execute(caller, workspace);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a baseline profile (baselines.manage)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 201, description: 'The new baseline', type: BaselineDoc })
  @ApiResponse(apiError(400, 'Invalid body, or an unknown source environment', [...BODY_CODES, 'invalid_input']))
  @ApiResponse(apiError(403, 'In scope, but the role lacks baselines.manage', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace', ['not_found']))
  @ApiResponse(apiError(409, 'A baseline with that name exists', ['baseline_name_taken']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  create(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: CreateBaselineRequest,
  ): Promise<BaselineView> {
    return this.createProfile.execute(caller, workspace, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One baseline with its snapshots, newest first' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The baseline and its snapshots', type: BaselineDetailDoc })
  @ApiResponse(apiError(400, 'A NUL character in a path segment', PATH_CODES))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  get(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
  ): Promise<BaselineDetailView> {
    return this.getProfile.execute(caller, workspace, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a baseline or change its policy kinds (baselines.manage); the source is immutable' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The updated baseline', type: BaselineDoc })
  @ApiResponse(
    apiError(400, 'Invalid or empty body, an unknown field, or a source_environment (immutable)', [...BODY_CODES, 'invalid_input']),
  )
  @ApiResponse(apiError(403, 'In scope, but the role lacks baselines.manage', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  @ApiResponse(apiError(409, 'A baseline with that name exists', ['baseline_name_taken']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  update(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Body() body: UpdateBaselineRequest,
  ): Promise<BaselineView> {
    return this.updateProfile.execute(caller, workspace, id, body);
  }

  @Get(':id/compare-results/:resultId/findings')
  @ApiOperation({ summary: 'Drift findings of one compare, keyset-paginated' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'resultId', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'One page of findings', type: FindingListDoc })
  @ApiResponse(apiError(400, 'Unknown query parameter, bad value or bad cursor', [...QUERY_CODES, 'invalid_cursor']))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden baseline, result or target environment (indistinguishable)', ['not_found']))
  findings(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('id') id: string,
    @Param('resultId') resultId: string,
    @Query() query: ListFindingsRequest,
  ): Promise<FindingListView> {
    return this.listFindings.execute(caller, workspace, id, resultId, query);
  }
}
