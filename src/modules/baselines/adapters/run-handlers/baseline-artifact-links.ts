import { routes } from '../../../../shared/core/routes';
import { RelatedArtifactLink } from '../../../operations/core/related-artifact-links';

/** A capture's snapshot, linked from its run's page. */
export const BASELINE_SNAPSHOT_LINK: RelatedArtifactLink = {
  artifactType: 'baseline_snapshot',
  label: 'Baseline snapshot',
  href: ({ workspaceSlug, id }) => routes.baselineSnapshot(workspaceSlug, id),
};

/** A compare's result, linked from its run's page. */
export const BASELINE_COMPARE_RESULT_LINK: RelatedArtifactLink = {
  artifactType: 'baseline_compare_result',
  label: 'Compare result',
  href: ({ workspaceSlug, id }) => routes.baselineCompareResult(workspaceSlug, id),
};
