import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { renderReviewMarkdown } from '../core/review-markdown';
import { ReviewMarkdown } from './review-read-models';
import { ReviewVisibility } from './review-visibility';

/** One review as a Markdown download (the same reader view as the page and the JSON). */
@Injectable()
export class ExportReviewMarkdown {
  constructor(@Inject(ReviewVisibility) private readonly visibility: ReviewVisibility) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string, id: string): Promise<ReviewMarkdown> {
    const { ws, environment, review } = await this.visibility.review(caller, workspaceSlug, environmentSlug, id);
    const body = renderReviewMarkdown({
      environment: { slug: environment.slug, name: environment.displayName },
      workspace: { slug: ws.workspace.slug, name: ws.workspace.name },
      period: review.period,
      status: review.status,
      composedAt: review.readyAt?.toISOString() ?? null,
      supersedesReviewId: review.supersedesReviewId,
      sections: review.sections,
    });
    return { filename: safeFilename(`review-${environment.slug}-${review.period.label}.md`), body };
  }
}

/** Slugs and labels are safe already; anything else becomes `-` so the header cannot be split. */
function safeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}
