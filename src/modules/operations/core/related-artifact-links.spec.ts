import { thrown } from '../../../../test/support/domain-errors';
import { RelatedArtifactLink, RelatedArtifactLinks } from './related-artifact-links';

const snapshot: RelatedArtifactLink = {
  artifactType: 'baseline_snapshot',
  label: 'Baseline snapshot',
  href: ({ workspaceSlug, id }) => `/w/${workspaceSlug}/baselines/snapshots/${id}`,
};
const review: RelatedArtifactLink = {
  artifactType: 'environment_review',
  label: 'Environment review',
  href: ({ workspaceSlug, environmentSlug, id }) => (environmentSlug ? `/w/${workspaceSlug}/e/${environmentSlug}/reviews/${id}` : null),
};

describe('RelatedArtifactLinks', () => {
  it('links an artifact as its owner registered it', () => {
    const links = new RelatedArtifactLinks();
    links.registerAll([snapshot, review]);
    expect(links.linkFor({ type: 'baseline_snapshot', id: 's1' }, { workspaceSlug: 'ws', environmentSlug: null })).toEqual({
      label: 'Baseline snapshot',
      href: '/w/ws/baselines/snapshots/s1',
    });
    expect(links.linkFor({ type: 'environment_review', id: 'v1' }, { workspaceSlug: 'ws', environmentSlug: 'hq' }).href).toBe('/w/ws/e/hq/reviews/v1');
    expect(links.linkFor({ type: 'environment_review', id: 'v1' }, { workspaceSlug: 'ws', environmentSlug: null }).href).toBeNull();
  });

  it('names an artifact type nobody registered, without a link', () => {
    const links = new RelatedArtifactLinks();
    links.registerAll([snapshot]);
    expect(links.linkFor({ type: 'drift_report', id: 'd' }, { workspaceSlug: 'ws', environmentSlug: 'hq' })).toEqual({ label: 'Drift report', href: null });
  });

  it('fails fast when two links claim one artifact type', () => {
    const links = new RelatedArtifactLinks();
    const error = thrown(() => links.registerAll([snapshot, { ...snapshot, label: 'Another' }]));
    expect(error.code).toBe('invalid_related_links');
    expect(error.message).toContain('baseline_snapshot: two links are registered');
  });
});
