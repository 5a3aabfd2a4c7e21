import { routes } from '../../../../shared/core/routes';
import { RelatedArtifactLink } from '../../../operations/core/related-artifact-links';
import { RUN_CHILDREN_ARTIFACT } from '../../application/act-on-each';

/** A bulk or fan-out run's related artifact: the list of the runs it touched. */
export const RUN_CHILDREN_LINK: RelatedArtifactLink = {
  artifactType: RUN_CHILDREN_ARTIFACT,
  label: 'Runs touched',
  href: ({ id }) => routes.runChildren(id),
};
