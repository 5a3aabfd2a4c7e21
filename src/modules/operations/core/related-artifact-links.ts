import { RelatedRef } from './operation-run';
import { OperationErrors } from './operations-errors';

/** Where a run's related artifact is shown, registered by the module that owns the artifact. */
export interface RelatedArtifactLink {
  /** `RelatedRef.type` as the handler reports it (e.g. `baseline_snapshot`). */
  artifactType: string;
  label: string;
  /** The artifact's page, or null when the run lacks what the URL needs. */
  href(ref: { workspaceSlug: string; environmentSlug: string | null; id: string }): string | null;
}

function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One link per artifact type, checked at boot; an unknown type is named but not linked. */
export class RelatedArtifactLinks {
  private readonly byType = new Map<string, RelatedArtifactLink>();

  registerAll(links: RelatedArtifactLink[]): void {
    const problems: string[] = [];
    for (const link of links) {
      if (this.byType.has(link.artifactType)) problems.push(`${link.artifactType}: two links are registered`);
      else this.byType.set(link.artifactType, link);
    }
    if (problems.length) {
      throw OperationErrors.invalidRelatedLinks(problems);
    }
  }

  linkFor(
    related: Pick<RelatedRef, 'type' | 'id'>,
    where: { workspaceSlug: string; environmentSlug: string | null },
  ): { label: string; href: string | null } {
    const link = this.byType.get(related.type);
    if (!link) return { label: humanize(related.type), href: null };
    return { label: link.label, href: link.href({ ...where, id: related.id }) };
  }
}
