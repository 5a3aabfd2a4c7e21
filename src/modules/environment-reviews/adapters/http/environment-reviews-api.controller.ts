import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiAuthenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { API_UNAUTHENTICATED, apiError, PATH_CODES } from '../../../../shared/adapters/http/api-error.schema';
import { ReviewDetailDoc, ReviewListDoc } from './environment-reviews-api.responses';
import { ExportReviewMarkdown } from '../../application/export-review-markdown.query';
import { GetEnvironmentReview } from '../../application/get-environment-review.query';
import { ListEnvironmentReviews } from '../../application/list-environment-reviews.query';
import { ReviewDetailView, ReviewSummaryView } from '../../application/review-read-models';

/**
 * Environment reviews. Compose one with POST …/environments/:environment/operations and
 * `{ "type": "environment.review.compose", "input": { "period": "YYYY-MM" } }`.
 * `:id.md` is declared before `:id` so the Markdown download is not captured as an id.
 */
@ApiTags('environment reviews')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/workspaces/:workspace/environments/:environment/reviews')
export class EnvironmentReviewsApiController {
  constructor(
    @Inject(ListEnvironmentReviews) private readonly listReviews: ListEnvironmentReviews,
    @Inject(GetEnvironmentReview) private readonly getReview: GetEnvironmentReview,
    @Inject(ExportReviewMarkdown) private readonly exportMarkdown: ExportReviewMarkdown,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Reviews of an environment, newest first (drafts are never listed)' })
  @ApiParam({ name: 'workspace', description: 'Workspace slug' })
  @ApiParam({ name: 'environment', description: 'Environment slug' })
  @ApiResponse({ status: 200, type: ReviewListDoc })
  @ApiResponse(apiError(400, 'A NUL character in a path segment', PATH_CODES))
  @ApiResponse(apiError(403, 'A member whose role lacks operations.view', ['forbidden']))
  @ApiResponse(apiError(404, 'Unknown or hidden workspace or environment (indistinguishable)', ['not_found']))
  list(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
  ): Promise<{ items: ReviewSummaryView[] }> {
    return this.listReviews.execute(caller, workspace, environment);
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
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { filename, body } = await this.exportMarkdown.execute(caller, workspace, environment, id);
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
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Param('id') id: string,
  ): Promise<ReviewDetailView> {
    return this.getReview.execute(caller, workspace, environment, id);
  }
}
