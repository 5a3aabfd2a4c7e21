import { routes } from '../../../../shared/core/routes';
import { RelatedArtifactLink } from '../../../operations/core/related-artifact-links';

/** A composed review, linked from its run's page; its URL needs the run's environment. */
export const ENVIRONMENT_REVIEW_LINK: RelatedArtifactLink = {
  artifactType: 'environment_review',
  label: 'Environment review',
  href: ({ workspaceSlug, environmentSlug, id }) =>
    environmentSlug ? routes.environmentReview(workspaceSlug, environmentSlug, id) : null,
};
