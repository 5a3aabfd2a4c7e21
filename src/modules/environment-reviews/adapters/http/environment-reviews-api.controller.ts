import { Controller, Get, Header, Inject, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiTokenGuard } from '../../../../shared/adapters/auth/api-token.guard';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { apiError } from '../../../../shared/adapters/http/api-error.schema';
import { EnvironmentReviewsApiService, ReviewDetailView, ReviewSummaryView } from './environment-reviews-api.service';

/**
 * Environment reviews. Compose one with POST …/environments/:environment/operations and
 * `{ "type": "environment.review.compose", "input": { "period": "YYYY-MM" } }`.
 * `:id.md` is declared before `:id` so the Markdown download is not captured as an id.
 */
@ApiTags('environment reviews')
@ApiBearerAuth()
@ApiResponse(apiError(401, 'Missing, unknown or revoked API token'))
@UseGuards(ApiTokenGuard)
@Controller('api/v1/workspaces/:workspace/environments/:environment/reviews')
export class EnvironmentReviewsApiController {
  constructor(@Inject(EnvironmentReviewsApiService) private readonly api: EnvironmentReviewsApiService) {}

  @Get()
  @ApiOperation({ summary: 'Reviews of an environment, newest first (drafts are never listed)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 200, description: '{ items: [review] }' })
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment (indistinguishable)'))
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
  @ApiProduces('text/markdown')
  @ApiResponse({ status: 200, description: 'review-<environment>-<period>.md' })
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope review (indistinguishable)'))
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
  @ApiResponse({ status: 200, description: 'The review with its sections' })
  @ApiResponse(apiError(404, 'Unknown, malformed or out-of-scope review (indistinguishable)'))
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Param('id') id: string,
  ): Promise<ReviewDetailView> {
    return this.api.get(principal, workspace, environment, id);
  }
}
