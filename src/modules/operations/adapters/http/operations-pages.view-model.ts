import { isActive, RUN_OUTCOMES, RUN_STATUSES, RunStatus } from '../../core/operation-run';
import { OperationTypeDefinition } from '../../core/operation-type';
import { ARCHIVED_CHOICE_LABELS, ARCHIVED_CHOICES } from '../../core/archived-environments';
import { PROBLEM_CLASSES, ProblemClass } from '../../core/problem-class';
import { RelatedArtifactLinks } from '../../core/related-artifact-links';
import { RunResource } from '../../core/run-resource';
import { RUN_TABS, RunTab, RunTabCounts } from '../../core/run-tabs';
import { asRecord, asString } from '../../../../shared/core/json-guards';
import { HUB_QUERY_KEYS, routes } from '../../../../shared/core/routes';

/**
 * Pure mappings from presenter output (RunResource, tab counts) to the operations pages' view
 * models. Nothing here derives run truth: staleness, copy and progress come from the presenter;
 * this only builds links, option lists and display rows.
 */

/** The hub query as the URL carries it (validated or not: the page re-renders what was typed). */
export interface HubQuery {
  tab?: string;
  environment?: string;
  archived?: string;
  type?: string;
  status?: string;
  outcome?: string;
  problem_class?: string;
  initiator?: string;
  from?: string;
  to?: string;
  limit?: number | string;
  cursor?: string;
}

export const TAB_LABELS: Record<RunTab, string> = {
  all: 'All',
  active: 'Active',
  active_stale_attention: 'Stale attention',
  terminal_follow_up: 'Needs follow-up',
  reconciled: 'Reconciled',
};

export const PROBLEM_CLASS_LABELS: Record<ProblemClass, string> = {
  none: 'No problem',
  active_stale_attention: TAB_LABELS.active_stale_attention,
  terminal_follow_up: TAB_LABELS.terminal_follow_up,
  reconciled: TAB_LABELS.reconciled,
};

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export interface HubTab {
  key: RunTab;
  label: string;
  count: number | null;
  href: string;
  current: boolean;
}

/** Only the single-valued, non-empty string parameters of a query string (the rest is the validator's job). */
export function cleanQuery(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (value === undefined || value === '') continue;
    out[key] = value;
  }
  return out;
}

/** Only the hub's own string fields, for links and for re-rendering the filters form. */
export function hubQueryOf(raw: Record<string, unknown>): HubQuery {
  const out: HubQuery = {};
  for (const key of HUB_QUERY_KEYS) {
    const value = raw?.[key];
    if (typeof value === 'string' && value !== '') (out as Record<string, string>)[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) (out as Record<string, string>)[key] = String(value);
  }
  return out;
}

/** Tabs keep every filter but start again on the first page. */
export function buildTabs(workspaceSlug: string, query: HubQuery, counts: RunTabCounts | null): HubTab[] {
  const current = (RUN_TABS as readonly string[]).includes(query.tab ?? '') ? query.tab : 'all';
  return RUN_TABS.map((key) => ({
    key,
    label: TAB_LABELS[key],
    count: counts ? counts[key] : null,
    href: routes.hub(workspaceSlug, { ...query, tab: key, cursor: undefined }),
    current: key === current,
  }));
}

export function buildPager(
  workspaceSlug: string,
  query: HubQuery,
  nextCursor: string | null,
): { nextHref: string | null; firstHref: string | null } {
  return {
    nextHref: nextCursor ? routes.hub(workspaceSlug, { ...query, cursor: nextCursor }) : null,
    firstHref: query.cursor ? routes.hub(workspaceSlug, { ...query, cursor: undefined }) : null,
  };
}

export function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function options(values: readonly { value: string; label: string }[], selected: string | undefined, anyLabel: string): Option[] {
  return [
    { value: '', label: anyLabel, selected: !selected },
    ...values.map((v) => ({ ...v, selected: v.value === selected })),
  ];
}

export interface HubFilters {
  environments: Option[];
  /** Include or leave out archived environments' runs; offered while the viewer sees an archived one (or the view asks). */
  archived: Option[] | null;
  types: Option[];
  statuses: Option[];
  outcomes: Option[];
  problemClasses: Option[];
  initiators: Option[];
  from: string;
  to: string;
  tab: string | null;
}

/**
 * Filter options. Environments are only those the viewer may see; initiators are "Anyone", "Me"
 * and the initiators of the listed runs (names from the presenter's resource), so a hidden
 * environment's runs cannot add a name.
 */
export function buildFilters(input: {
  query: HubQuery;
  environments: { slug: string; name: string; archived?: boolean }[];
  types: Pick<OperationTypeDefinition, 'type' | 'label'>[];
  viewerId: string;
  runs: RunResource[];
}): HubFilters {
  const { query } = input;
  const selectedInitiator = query.initiator?.toLowerCase();
  const people = new Map<string, string>();
  for (const run of input.runs) {
    if (run.initiator && run.initiator.id.toLowerCase() !== input.viewerId.toLowerCase()) {
      people.set(run.initiator.id.toLowerCase(), run.initiator.name);
    }
  }
  const initiatorValues = [
    { value: input.viewerId.toLowerCase(), label: 'Me' },
    ...[...people.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([value, label]) => ({ value, label })),
  ];
  if (selectedInitiator && !initiatorValues.some((o) => o.value === selectedInitiator)) {
    initiatorValues.push({ value: selectedInitiator, label: 'Selected user' });
  }
  return {
    environments: options(
      input.environments.map((e) => ({ value: e.slug, label: e.archived ? `${e.name} (archived)` : e.name })),
      query.environment,
      'All environments',
    ),
    archived:
      input.environments.some((e) => e.archived) || query.archived
        ? ARCHIVED_CHOICES.map((c) => ({ value: c === 'include' ? '' : c, label: ARCHIVED_CHOICE_LABELS[c], selected: (query.archived ?? 'include') === c }))
        : null,
    types: options(input.types.map((d) => ({ value: d.type, label: d.label })), query.type, 'All types'),
    statuses: options(RUN_STATUSES.map((s) => ({ value: s, label: humanize(s) })), query.status, 'Any status'),
    outcomes: options(RUN_OUTCOMES.map((o) => ({ value: o, label: humanize(o) })), query.outcome, 'Any outcome'),
    problemClasses: options(PROBLEM_CLASSES.map((c) => ({ value: c, label: PROBLEM_CLASS_LABELS[c] })), query.problem_class, 'Any problem class'),
    initiators: options(initiatorValues, selectedInitiator, 'Anyone'),
    from: query.from ?? '',
    to: query.to ?? '',
    tab: query.tab && query.tab !== 'all' ? query.tab : null,
  };
}

/** The core's rule (`isActive`), for the presenter's document of a run. */
export function isActiveRun(run: Pick<RunResource, 'status'>): boolean {
  return isActive({ status: run.status as RunStatus });
}

/** The hub keeps polling on the active tabs, and on any tab while a listed run is active. */
export function hubPollActive(tab: string | undefined, runs: Pick<RunResource, 'status'>[]): boolean {
  return tab === 'active' || tab === 'active_stale_attention' || runs.some(isActiveRun);
}

// ---------------------------------------------------------------- run detail

export interface PhaseStep {
  label: string;
  current: boolean;
  done: boolean;
}

/** The catalog's phases of the type, marked against the presenter's 1-based current index. */
export function buildPhaseSteps(run: Pick<RunResource, 'progress'>, definition: Pick<OperationTypeDefinition, 'phases'> | null): PhaseStep[] {
  const phase = run.progress.phase;
  if (!phase || !definition?.phases?.length) return [];
  return definition.phases.map((p, i) => ({
    label: p.label,
    current: i + 1 === phase.index,
    done: i + 1 < phase.index,
  }));
}

/** The run's related artifact, linked as the module that owns the artifact type registered it. */
export function relatedLink(
  run: Pick<RunResource, 'related' | 'workspace' | 'environment'>,
  links: RelatedArtifactLinks,
): { label: string; href: string | null } | null {
  const related = run.related;
  if (!related || !run.workspace) return null;
  return links.linkFor(related, { workspaceSlug: run.workspace.slug, environmentSlug: run.environment?.slug ?? null });
}

export function summaryRows(counts: RunResource['summary_counts']): { label: string; value: number }[] {
  return Object.entries(counts ?? {})
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => ({ label: humanize(key), value: value as number }));
}

export interface DiagnosticsView {
  raw: Record<string, unknown>;
  jobId: string;
  errorClass: string | null;
  errorMessage: string | null;
}

const ERROR_KEYS = ['final_error', 'last_error', 'dispatch_error'];

/** The job id is the run id by design (SPEC 2.5) unless diagnostics recorded another one. */
export function buildDiagnostics(run: Pick<RunResource, 'id' | 'diagnostics'>): DiagnosticsView | null {
  const raw = run.diagnostics;
  if (!raw) return null;
  const jobId = typeof raw.job_id === 'string' ? raw.job_id : run.id;
  for (const key of ERROR_KEYS) {
    const e = asRecord(raw[key]);
    if (e) {
      const errorClass = asString(e.class);
      const errorMessage = asString(e.message);
      if (errorClass || errorMessage) return { raw, jobId, errorClass, errorMessage };
    }
  }
  return { raw, jobId, errorClass: null, errorMessage: null };
}

export function runTitle(run: Pick<RunResource, 'type_label' | 'environment' | 'workspace'>): string {
  const where = run.environment?.name ?? run.workspace?.name;
  return where ? `${run.type_label} · ${where}` : run.type_label;
}

export function runBreadcrumb(run: Pick<RunResource, 'workspace' | 'environment'>): { label: string; href: string }[] {
  if (!run.workspace) return [];
  const ws = run.workspace.slug;
  const crumbs = [
    { label: run.workspace.name, href: routes.workspace(ws) },
    { label: 'Operations', href: routes.hub(ws) },
  ];
  if (run.environment) crumbs.push({ label: run.environment.name, href: routes.environment(ws, run.environment.slug) });
  return crumbs;
}

const TONE_WEIGHT: Record<string, number> = { danger: 4, warning: 3, info: 2, success: 2, neutral: 1 };

/** The decision zone takes the most severe tone among the presenter's own badges. */
export function decisionTone(run: Pick<RunResource, 'presentation'>): string {
  let tone = 'neutral';
  for (const badge of run.presentation.badges) {
    if ((TONE_WEIGHT[badge.tone] ?? 0) > (TONE_WEIGHT[tone] ?? 0)) tone = badge.tone;
  }
  return tone;
}

/**
 * The run page's progress panel repeats nothing the decision zone already says: it drops a label
 * equal to the headline (a running counted run's count would otherwise print twice) and is shown
 * only when it has something of its own — a bar, phases, parts, last reported counts or a label.
 */
export function progressPanel(run: Pick<RunResource, 'progress' | 'presentation'>): { show: boolean; hideLabel: boolean } {
  const progress = run.progress;
  const hideLabel = progress.label === run.presentation.headline;
  const detail = Boolean(progress.counted || progress.phase || progress.composite || progress.last_reported);
  return { show: progress.mode !== 'none' && (detail || !hideLabel), hideLabel };
}

/** Everything the run page and its live fragment show, from the presenter's resource. */
export function buildRunView(
  run: RunResource,
  definition: Pick<OperationTypeDefinition, 'phases'> | null,
  links: RelatedArtifactLinks,
) {
  return {
    run,
    active: isActiveRun(run),
    tone: decisionTone(run),
    phaseSteps: buildPhaseSteps(run, definition),
    progressPanel: progressPanel(run),
    related: relatedLink(run, links),
    relatedInventorySyncedAt: run.related?.inventory_synced_at ?? null,
    summary: summaryRows(run.summary_counts),
    diagnostics: buildDiagnostics(run),
    breadcrumb: runBreadcrumb(run),
    liveUrl: routes.runLive(run.id),
  };
}

/**
 * The hub view's bulk links, for whoever may use them: cancel (operations.cancel) and retry
 * (operations.bulk) over this view, and fan-out (operations.bulk, every environment). A limited
 * member acts in bulk within one environment: the links appear once the view names one.
 */
export function hubBulkActions(
  ws: { workspace: { slug: string }; scope: { allEnvironments: boolean }; capabilities: readonly string[] },
  query: HubQuery,
  environment: string | undefined,
): { label: string; href: string }[] {
  const slug = ws.workspace.slug;
  const can = (capability: string) => ws.capabilities.includes(capability);
  const actions: { label: string; href: string }[] = [];
  if (ws.scope.allEnvironments || environment) {
    if (can('operations.cancel')) actions.push({ label: 'Cancel active runs in this view…', href: routes.hubBulk(slug, 'cancel', query) });
    if (can('operations.bulk')) actions.push({ label: 'Retry failed runs in this view…', href: routes.hubBulk(slug, 'retry', query) });
  }
  if (ws.scope.allEnvironments && can('operations.bulk')) {
    actions.push({ label: 'Start for several environments…', href: routes.fanOut(slug) });
  }
  return actions;
}
