import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../../../rbac/adapters/http/api-token.guard';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { API_UNAUTHENTICATED, apiError, QUERY_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { AuditEventListResponse } from './audit-api.responses';
import { AuditApiService } from './audit-api.service';
import { ListAuditEventsRequest } from './list-audit-events.request';

/** The append-only audit log over the JSON API (read only). */
@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@UseGuards(ApiTokenGuard)
@Controller('api/v1')
export class AuditApiController {
  constructor(@Inject(AuditApiService) private readonly api: AuditApiService) {}

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
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Query() query: ListAuditEventsRequest,
  ): Promise<AuditEventListResponse> {
    return this.api.list(principal, workspace, query);
  }
}
