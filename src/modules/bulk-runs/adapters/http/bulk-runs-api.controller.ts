import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  API_PAYLOAD_TOO_LARGE,
  API_UNAUTHENTICATED,
  API_UNSUPPORTED_BODY,
  apiError,
  BODY_CODES,
  PATH_CODES,
  QUERY_CODES,
} from '../../../../shared/adapters/http/api-error.schema';
import { ApiAuthenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { WorkspaceRunStarted } from '../../application/dispatch-workspace-run';
import { ListRunChildren, RunChildrenPage } from '../../application/list-run-children.query';
import { StartBulkAction } from '../../application/start-bulk-action.use-case';
import { StartFanOut } from '../../application/start-fan-out.use-case';
import { BulkActionRequest, FanOutRequest, ListRunChildrenRequest, RunChildrenResponse } from './bulk-runs.requests';

const STARTED = { status: 202, description: 'The bulk run was queued: its page shows "12 of 40" as it acts' };
const DUPLICATE = { status: 200, description: 'An identical bulk run is already active: that run' };

/** Bulk actions and fan-out over the JSON API: each answer is the bulk run that does the work. */
@ApiTags('operations')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1')
export class BulkRunsApiController {
  constructor(
    @Inject(StartBulkAction) private readonly bulk: StartBulkAction,
    @Inject(StartFanOut) private readonly fanOut: StartFanOut,
    @Inject(ListRunChildren) private readonly children: ListRunChildren,
  ) {}

  @Post('workspaces/:workspace/operations/bulk')
  @ApiOperation({ summary: 'Cancel or retry the runs of a hub view, as one bulk run acting within your scope' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ ...STARTED, schema: { type: 'object', properties: { run: { type: 'object' } } } })
  @ApiResponse({ ...DUPLICATE, schema: { type: 'object', properties: { run: { type: 'object' } } } })
  @ApiResponse(apiError(400, 'Unknown action, filter key or value, unknown type, bad day range, or a malformed body', [...BODY_CODES, 'invalid_input', 'unknown_operation_type', 'invalid_date', 'invalid_date_range']))
  @ApiResponse(apiError(403, "The role lacks the action's capability, or a limited member did not filter by one of their environments", ['forbidden', 'needs_every_environment']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment filter (indistinguishable)', ['not_found']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  @ApiResponse(apiError(503, 'The job queue is unreachable: the bulk run was recorded and closed as failed', ['dispatch_failed']))
  async startBulk(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: BulkActionRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pick<WorkspaceRunStarted, 'run'>> {
    const { run, created } = await this.bulk.execute(caller, workspace, body);
    response.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return { run };
  }

  @Post('workspaces/:workspace/operations/fan-out')
  @ApiOperation({ summary: 'Start one run of a type in every (or each named) environment, deduped per environment, as one fan-out run' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ ...STARTED, schema: { type: 'object', properties: { run: { type: 'object' } } } })
  @ApiResponse({ ...DUPLICATE, schema: { type: 'object', properties: { run: { type: 'object' } } } })
  @ApiResponse(apiError(400, "Unknown or workspace-level type, input the type refuses, bad environments list, or a malformed body", [...BODY_CODES, 'invalid_input', 'unknown_operation_type', 'workspace_level_type']))
  @ApiResponse(apiError(403, 'The role lacks operations.bulk or the type\'s capability, or the member does not see every environment', ['forbidden', 'needs_every_environment']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or named environment (indistinguishable)', ['not_found']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  @ApiResponse(apiError(503, 'The job queue is unreachable: the fan-out run was recorded and closed as failed', ['dispatch_failed']))
  async startFanOut(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Body() body: FanOutRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pick<WorkspaceRunStarted, 'run'>> {
    const { run, created } = await this.fanOut.execute(caller, workspace, body);
    response.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return { run };
  }

  @Get('operations/:id/children')
  @ApiOperation({ summary: 'The runs a bulk or fan-out run touched, in the order it acted, that you may see' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: RunChildrenResponse })
  @ApiResponse(apiError(400, 'A NUL character in the id, an unknown query parameter or a bad cursor', [...PATH_CODES, ...QUERY_CODES, 'invalid_cursor']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  list(@CurrentAccess() caller: RequestAccess, @Param('id') id: string, @Query() query: ListRunChildrenRequest): Promise<RunChildrenPage> {
    return this.children.execute(caller, id, query.cursor);
  }
}
