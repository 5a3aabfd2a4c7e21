/**
 * Whether a run view counts the runs of archived environments. `include` (the default) keeps an
 * archived environment's history in the hub; `exclude` is "active work only", as the workspace
 * overview's KPIs count it. Workspace-level runs belong to no environment and always stay.
 */
export const ARCHIVED_CHOICES = ['include', 'exclude'] as const;
export type ArchivedChoice = (typeof ARCHIVED_CHOICES)[number];

export const ARCHIVED_CHOICE_LABELS: Record<ArchivedChoice, string> = {
  include: 'Including archived environments',
  exclude: 'Without archived environments',
};
