import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { API_UNAUTHENTICATED, apiError, QUERY_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { AuditEventList, ListAuditEvents } from '../../application/list-audit-events.query';
import { AuditEventListResponse } from './audit-api.responses';
import { ListAuditEventsRequest } from './list-audit-events.request';

/** The append-only audit log over the JSON API (read only). */
@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1')
export class AuditApiController {
  constructor(@Inject(ListAuditEvents) private readonly listAuditEvents: ListAuditEvents) {}

  @Get('workspaces/:workspace/audit')
  @ApiOperation({ summary: 'Audit events of a workspace, newest first (needs audit.view)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 200, type: AuditEventListResponse })
  @ApiResponse(
    apiError(400, 'Unknown query parameter, bad value, from after to, bad cursor, or a NUL character', [
      ...QUERY_CODES,
      'invalid_range',
      'invalid_cursor',
    ]),
  )
  @ApiResponse(apiError(403, 'A member whose role lacks audit.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown workspace, or not a member (indistinguishable)', ['not_found']))
  list(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Query() query: ListAuditEventsRequest,
  ): Promise<AuditEventList> {
    return this.listAuditEvents.execute(caller, workspace, query);
  }
}
