import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiAuthenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { API_PAYLOAD_TOO_LARGE, API_UNAUTHENTICATED, API_UNSUPPORTED_BODY, apiError, BODY_CODES, PATH_CODES, QUERY_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { RunResource } from '../../core/run-resource';
import { ListOperationsRequest } from './list-operations.request';
import { CancelRunResponse, OperationListResponse, RunResourceDoc, StartOperationResponse } from './operations-api.responses';
import { CancelRun, CancelRunResult } from '../../application/cancel-run.use-case';
import { GetRun } from '../../application/get-run.query';
import { RetryRun, RetryRunResult } from '../../application/retry-run.use-case';
import { ListOperations, OperationListResult } from '../../application/list-operations.query';
import { StartOperation, StartOperationResult } from '../../application/start-operation.use-case';
import { StartOperationRequest } from './start-operation.request';

/** Operation runs over the JSON API: the same authorization and presenter as the pages. */
@ApiTags('operations')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1')
export class OperationsApiController {
  constructor(
    @Inject(StartOperation) private readonly startOperation: StartOperation,
    @Inject(ListOperations) private readonly listOperations: ListOperations,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(CancelRun) private readonly cancelRun: CancelRun,
    @Inject(RetryRun) private readonly retryRun: RetryRun,
  ) {}

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
      'workspace_level_type',
    ]),
  )
  @ApiResponse(apiError(403, 'In scope, but the role lacks the capability the type needs', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment (indistinguishable)', ['not_found']))
  @ApiResponse(apiError(409, 'The environment is archived: it accepts no new runs until restored', ['environment_archived']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  @ApiResponse(
    apiError(503, 'The job queue is unreachable: the run was recorded and closed as failed (run_id names it)', ['dispatch_failed'], {
      extra: { run_id: { type: 'string', format: 'uuid', description: 'The failed run this request recorded' } },
    }),
  )
  async start(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Body() body: StartOperationRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StartOperationResult> {
    const result = await this.startOperation.execute(caller, { workspaceSlug: workspace, environmentSlug: environment, ...body });
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
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Query() query: ListOperationsRequest,
  ): Promise<OperationListResult> {
    return this.listOperations.execute(caller, workspace, query);
  }

  @Get('operations/:id')
  @ApiOperation({ summary: 'One run; diagnostics only with operations.view_diagnostics' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: RunResourceDoc })
  @ApiResponse(apiError(400, 'A NUL character in the id', PATH_CODES))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  get(@CurrentAccess() caller: RequestAccess, @Param('id') id: string): Promise<RunResource> {
    return this.getRun.execute(caller, id);
  }

  @Post('operations/:id/cancel')
  @ApiOperation({
    summary: 'Cancel a run: a queued one at once, a running one once its worker stops (within one heartbeat)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 202, description: 'Cancelled (queued) or cancel requested (running)', type: CancelRunResponse })
  @ApiResponse({ status: 200, description: 'A cancel was already requested: the run as it is', type: CancelRunResponse })
  @ApiResponse(apiError(400, 'A NUL character in the id', PATH_CODES))
  @ApiResponse(apiError(403, 'In scope, but the role lacks operations.cancel', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  @ApiResponse(apiError(409, 'The run has already completed: there is nothing to cancel', ['run_completed']))
  async cancel(
    @CurrentAccess() caller: RequestAccess,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pick<CancelRunResult, 'run'>> {
    const { run, accepted } = await this.cancelRun.execute(caller, id);
    response.status(accepted ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return { run };
  }

  @Post('operations/:id/retry')
  @ApiOperation({ summary: 'Run a failed, blocked, cancelled or partially succeeded run again (same type, environment and input)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 202, description: 'The retry was queued; retry_of names the run it retries', type: StartOperationResponse })
  @ApiResponse({ status: 200, description: 'An identical run is already active: that run', type: StartOperationResponse })
  @ApiResponse(apiError(400, 'A NUL character in the id, or input the type no longer accepts', [...PATH_CODES, 'invalid_input']))
  @ApiResponse(apiError(403, "In scope, but the role lacks the type's start capability", ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope id (indistinguishable)', ['not_found']))
  @ApiResponse(apiError(409, 'The run is active or succeeded (nothing to retry), or its environment is archived (it takes no new runs)', ['run_not_retryable', 'environment_archived']))
  @ApiResponse(
    apiError(503, 'The job queue is unreachable: the retry was recorded and closed as failed (run_id names it)', ['dispatch_failed'], {
      extra: { run_id: { type: 'string', format: 'uuid', description: 'The failed run this request recorded' } },
    }),
  )
  async retry(
    @CurrentAccess() caller: RequestAccess,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RetryRunResult> {
    const result = await this.retryRun.execute(caller, id);
    response.status(result.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return result;
  }
}
