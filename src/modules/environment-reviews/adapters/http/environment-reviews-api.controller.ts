import { Controller, Get, Header, Inject, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiTokenGuard } from '../../../rbac/adapters/http/api-token.guard';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { API_UNAUTHENTICATED, apiError, PATH_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { ReviewDetailDoc, ReviewListDoc } from './environment-reviews-api.responses';
import { EnvironmentReviewsApiService, ReviewDetailView, ReviewSummaryView } from './environment-reviews-api.service';

/**
 * Environment reviews. Compose one with POST …/environments/:environment/operations and
 * `{ "type": "environment.review.compose", "input": { "period": "YYYY-MM" } }`.
 * `:id.md` is declared before `:id` so the Markdown download is not captured as an id.
 */
@ApiTags('environment reviews')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@UseGuards(ApiTokenGuard)
@Controller('api/v1/workspaces/:workspace/environments/:environment/reviews')
export class EnvironmentReviewsApiController {
  constructor(@Inject(EnvironmentReviewsApiService) private readonly api: EnvironmentReviewsApiService) {}

  @Get()
  @ApiOperation({ summary: 'Reviews of an environment, newest first (drafts are never listed)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 200, type: ReviewListDoc })
  @ApiResponse(apiError(400, 'A NUL character in a path segment', PATH_CODES))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment (indistinguishable)', ['not_found']))
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
  ): Promise<{ items: ReviewSummaryView[] }> {
    return this.api.list(principal, workspace, environment);
  }

  @Get(':id.md')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  @ApiOperation({ summary: 'One review as a Markdown download' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({
    status: 200,
    description: 'The review as Markdown, sent as the attachment review-<environment>-<period>.md',
    content: { 'text/markdown': { schema: { type: 'string' } } },
    headers: {
      'Content-Disposition': { description: 'attachment; filename="review-<environment>-<period>.md"', required: true, schema: { type: 'string' } },
    },
  })
  @ApiResponse(apiError(400, 'A NUL character in a path segment', PATH_CODES))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope review (indistinguishable)', ['not_found']))
  async markdown(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { filename, body } = await this.api.markdown(principal, workspace, environment, id);
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    return body;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One review with its evidence sections (JSON)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The review with its sections', type: ReviewDetailDoc })
  @ApiResponse(apiError(400, 'A NUL character in a path segment', PATH_CODES))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope review (indistinguishable)', ['not_found']))
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Param('id') id: string,
  ): Promise<ReviewDetailView> {
    return this.api.get(principal, workspace, environment, id);
  }
}
