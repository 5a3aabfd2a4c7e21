import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../../../../shared/adapters/auth/api-token.guard';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { apiError } from '../../../../shared/adapters/http/api-error.schema';
import { AuditEventListResponse } from './audit-api.responses';
import { AuditApiService } from './audit-api.service';
import { ListAuditEventsRequest } from './list-audit-events.request';

/** The append-only audit log over the JSON API (read only). */
@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse(apiError(401, 'Missing, unknown or revoked API token'))
@UseGuards(ApiTokenGuard)
@Controller('api/v1')
export class AuditApiController {
  constructor(@Inject(AuditApiService) private readonly api: AuditApiService) {}

  @Get('workspaces/:workspace/audit')
  @ApiOperation({ summary: 'Audit events of a workspace, newest first (needs audit.view)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiResponse({ status: 200, type: AuditEventListResponse })
  @ApiResponse(apiError(400, 'Unknown query parameter, bad value, from after to, or bad cursor'))
  @ApiResponse(apiError(403, 'A member whose role lacks audit.view'))
  @ApiResponse(apiError(404, 'Unknown workspace, or not a member (indistinguishable)'))
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Query() query: ListAuditEventsRequest,
  ): Promise<AuditEventListResponse> {
    return this.api.list(principal, workspace, query);
  }
}
