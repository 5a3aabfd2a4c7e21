import { RelatedArtifactLink } from '../../../operations/core/related-artifact-links';

const baselinesUrl = (workspaceSlug: string) => `/w/${encodeURIComponent(workspaceSlug)}/baselines`;

/** A capture's snapshot, linked from its run's page. */
export const BASELINE_SNAPSHOT_LINK: RelatedArtifactLink = {
  artifactType: 'baseline_snapshot',
  label: 'Baseline snapshot',
  href: ({ workspaceSlug, id }) => `${baselinesUrl(workspaceSlug)}/snapshots/${encodeURIComponent(id)}`,
};

/** A compare's result, linked from its run's page. */
export const BASELINE_COMPARE_RESULT_LINK: RelatedArtifactLink = {
  artifactType: 'baseline_compare_result',
  label: 'Compare result',
  href: ({ workspaceSlug, id }) => `${baselinesUrl(workspaceSlug)}/compare-results/${encodeURIComponent(id)}`,
};
