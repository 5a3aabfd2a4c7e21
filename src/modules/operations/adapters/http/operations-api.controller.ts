import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiTokenGuard } from '../../../rbac/adapters/http/api-token.guard';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { API_PAYLOAD_TOO_LARGE, API_UNAUTHENTICATED, API_UNSUPPORTED_BODY, apiError, BODY_CODES, PATH_CODES, QUERY_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { RunResource } from '../../core/run-resource';
import { ListOperationsRequest } from './list-operations.request';
import { OperationListResponse, RunResourceDoc, StartOperationResponse } from './operations-api.responses';
import { OperationListResult, OperationsApiService, StartOperationResult } from './operations-api.service';
import { StartOperationRequest } from './start-operation.request';

/** Operation runs over the JSON API: the same authorization and presenter as the pages. */
@ApiTags('operations')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@UseGuards(ApiTokenGuard)
@Controller('api/v1')
export class OperationsApiController {
  constructor(@Inject(OperationsApiService) private readonly api: OperationsApiService) {}

  @Post('workspaces/:workspace/environments/:environment/operations')
  @ApiOperation({ summary: 'Start an operation run (or get the active duplicate)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 202, description: 'Run queued', type: StartOperationResponse })
  @ApiResponse({ status: 200, description: 'An identical run is already active: that run', type: StartOperationResponse })
  @ApiResponse(
    apiError(400, 'Unknown operation type, input the type refuses, or a malformed or invalid body', [
      ...BODY_CODES,
      'unknown_operation_type',
      'invalid_input',
    ]),
  )
  @ApiResponse(apiError(403, 'In scope, but the role lacks the capability the type needs', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment (indistinguishable)', ['not_found']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  @ApiResponse(
    apiError(503, 'The job queue is unreachable: the run was recorded and closed as failed (run_id names it)', ['dispatch_failed'], {
      extra: { run_id: { type: 'string', format: 'uuid', description: 'The failed run this request recorded' } },
    }),
  )
  async start(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Body() body: StartOperationRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StartOperationResult> {
    const result = await this.api.start(principal, workspace, environment, body);
    response.status(result.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return result;
  }

  @Get('workspaces/:workspace/operations')
  @ApiOperation({ summary: 'Runs of a workspace the user may see, newest first, with tab counts' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 200, type: OperationListResponse })
  @ApiResponse(
    apiError(400, 'Unknown query parameter, bad value, unknown type, bad day range or bad cursor', [
      ...QUERY_CODES,
      'unknown_operation_type',
      'invalid_date',
      'invalid_date_range',
      'invalid_cursor',
    ]),
  )
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment filter (indistinguishable)', ['not_found']))
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Query() query: ListOperationsRequest,
  ): Promise<OperationListResult> {
    return this.api.list(principal, workspace, query);
  }

  @Get('operations/:id')
  @ApiOperation({ summary: 'One run; diagnostics only with operations.view_diagnostics' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: RunResourceDoc })
  @ApiResponse(apiError(400, 'A NUL character in the id', PATH_CODES))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RunResource> {
    return this.api.get(principal, id);
  }
}
