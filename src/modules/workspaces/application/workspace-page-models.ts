import { RunResource } from '../../operations/core/run-resource';
import { RunTabCounts } from '../../operations/core/run-tabs';
import { StartForm } from '../../operations/core/start-form';
import { HubLinkQuery, routes } from '../../../shared/core/routes';

/**
 * Pure mapping from read models to the overview and dashboard view models. Every number a page
 * shows comes with the operations hub URL that reproduces it; run truth (staleness, copy, badges)
 * is the presenter's and is only passed through.
 */

const DAY_MS = 86_400_000;

/** The hub tabs these pages link to (SPEC 6 drill-through URLs). */
type HubTab = 'all' | 'active' | 'active_stale_attention' | 'terminal_follow_up' | 'reconciled';

/**
 * The hub view of an environment's failures since `fromDay`. Its keys keep the order these pages
 * have always linked with (outcome before environment), which routes.hub's one order would swap;
 * pages, bookmarks and tests carry this string, so it stays until that order is retired.
 */
export function failedSinceHref(workspaceSlug: string, environmentSlug: string, fromDay: string): string {
  const params = new URLSearchParams({ outcome: 'failed', environment: environmentSlug, from: fromDay });
  return `${routes.hub(workspaceSlug)}?${params.toString()}`;
}

/** The `from` day (UTC, YYYY-MM-DD) of "the last 7 days" by the app clock. */
export function sevenDaysAgoDay(now: Date): string {
  return new Date(now.getTime() - 7 * DAY_MS).toISOString().slice(0, 10);
}

/** Likely stale runs first (never hidden), otherwise the list's order is kept. */
export function escalateStale(runs: RunResource[]): RunResource[] {
  const stale = runs.filter((r) => r.problem_class === 'active_stale_attention');
  return [...stale, ...runs.filter((r) => r.problem_class !== 'active_stale_attention')];
}

export interface LinkedNumber {
  value: number;
  href: string;
}

export interface Kpi extends LinkedNumber {
  key: string;
  label: string;
}

/**
 * The workspace KPIs: the hub's own tab counts, each linking to the tab it counts. `view` is the
 * hub view they were counted over (`archived: 'exclude'` while the workspace has archived
 * environments: KPIs count active work), so each link lists exactly its number.
 */
export function workspaceKpis(workspaceSlug: string, counts: RunTabCounts, view: HubLinkQuery = {}): Kpi[] {
  const kpi = (key: HubTab, label: string): Kpi => ({
    key,
    label,
    value: counts[key],
    href: routes.hub(workspaceSlug, { ...view, tab: key }),
  });
  return [
    kpi('active', 'Active runs'),
    kpi('active_stale_attention', 'Stale attention'),
    kpi('terminal_follow_up', 'Needs follow-up'),
    kpi('reconciled', 'Reconciled'),
  ];
}

export interface EnvironmentHealthInput {
  slug: string;
  name: string;
  /** Hub counts with `environment=<slug>` (the two a card shows). */
  counts: Pick<RunTabCounts, 'active' | 'active_stale_attention'>;
  /** Hub `all` count with `outcome=failed&environment=<slug>&from=<fromDay>`. */
  failedSinceCount: number;
  fromDay: string;
  lastSyncAt: Date | null;
  latestCompare: { id: string; findingsCount: number; completedAt: Date | null; profileName: string } | null;
}

export interface EnvironmentHealthCard {
  slug: string;
  name: string;
  href: string;
  active: LinkedNumber;
  stale: LinkedNumber;
  failed7d: LinkedNumber;
  lastSyncAt: string | null;
  drift: (LinkedNumber & { profileName: string; completedAt: string | null }) | null;
}

export interface EnvironmentAttention {
  stale: LinkedNumber;
  failed7d: LinkedNumber;
}

/**
 * An environment's likely stale and failed-in-7-days numbers, each with the hub view that lists
 * exactly what it counts: the stale tab, and the All tab narrowed to failed runs created since
 * `fromDay` (a failure a later success superseded still failed, so it is not the follow-up tab).
 * The overview's cards and the environment dashboard both use it, so they link alike.
 */
export function environmentAttention(
  workspaceSlug: string,
  environmentSlug: string,
  e: { staleCount: number; failedSinceCount: number; fromDay: string },
): EnvironmentAttention {
  return {
    stale: { value: e.staleCount, href: routes.hub(workspaceSlug, { tab: 'active_stale_attention', environment: environmentSlug }) },
    failed7d: { value: e.failedSinceCount, href: failedSinceHref(workspaceSlug, environmentSlug, e.fromDay) },
  };
}

export function environmentHealthCard(workspaceSlug: string, e: EnvironmentHealthInput): EnvironmentHealthCard {
  return {
    slug: e.slug,
    name: e.name,
    href: routes.environment(workspaceSlug, e.slug),
    active: { value: e.counts.active, href: routes.hub(workspaceSlug, { tab: 'active', environment: e.slug }) },
    ...environmentAttention(workspaceSlug, e.slug, {
      staleCount: e.counts.active_stale_attention,
      failedSinceCount: e.failedSinceCount,
      fromDay: e.fromDay,
    }),
    lastSyncAt: e.lastSyncAt ? e.lastSyncAt.toISOString() : null,
    drift: e.latestCompare
      ? {
          value: e.latestCompare.findingsCount,
          href: routes.baselineCompareResult(workspaceSlug, e.latestCompare.id),
          profileName: e.latestCompare.profileName,
          completedAt: e.latestCompare.completedAt ? e.latestCompare.completedAt.toISOString() : null,
        }
      : null,
  };
}

export interface StartTypeInput {
  type: string;
  label: string;
  /** The user holds the type's capability for this environment. */
  allowed: boolean;
  /** The start form the type's owner registered; absent: a form with no fields. */
  form?: StartForm;
}

export interface ProfileOption {
  id: string;
  name: string;
  sourceEnvironmentId: string;
  hasCompleteSnapshot: boolean;
}

export interface StartFormModel {
  type: string;
  label: string;
  domId: string;
  action: string;
  returnTo: string;
  enabled: boolean;
  reason: string | null;
  reasonLink: { href: string; label: string } | null;
  needsBaseline: boolean;
  /** The input name of the baseline profile select (as the type registered it). */
  baselineField: string | null;
  /** Listed after an empty placeholder option; the first choosable one starts selected. */
  profiles: { id: string; name: string; disabled: boolean; note: string | null; selected: boolean }[];
}

export interface StartFormsContext {
  workspaceSlug: string;
  environmentSlug: string;
  environmentId: string;
  profiles: ProfileOption[];
  canManageBaselines: boolean;
  /** Archived: every form is disabled with that reason (the start would answer environment_archived). */
  archived?: boolean;
}

export const ARCHIVED_START_REASON = 'This environment is archived: it accepts no new runs.';

/**
 * One start form per catalog type: enabled with the capability, otherwise disabled with the reason.
 * A registered baseline field lists the profiles its rule allows; options its precondition rules
 * out are listed but not choosable.
 */
export function startForms(types: StartTypeInput[], ctx: StartFormsContext): StartFormModel[] {
  const here = routes.environment(ctx.workspaceSlug, ctx.environmentSlug);
  return types.map((t) => {
    const field = t.form?.fields.find((f) => f.kind === 'baseline') ?? null;
    const candidates = !field
      ? []
      : field.rule === 'source'
        ? ctx.profiles.filter((p) => p.sourceEnvironmentId === ctx.environmentId)
        : ctx.profiles;
    const precondition = field?.precondition;
    const profiles = candidates.map((p) => {
      const ruledOut = Boolean(precondition && !precondition.holds(p));
      return { id: p.id, name: p.name, disabled: ruledOut, note: ruledOut ? precondition!.note : null, selected: false };
    });
    const firstChoosable = profiles.find((p) => !p.disabled);
    if (firstChoosable) firstChoosable.selected = true;
    let reason: string | null = null;
    let reasonLink: StartFormModel['reasonLink'] = null;
    if (ctx.archived) {
      reason = ARCHIVED_START_REASON;
    } else if (!t.allowed) {
      reason = `Your role cannot start ${t.label}.`;
    } else if (field && profiles.length === 0) {
      // A capture reads its profile's source environment: other profiles exist, just not for this one.
      reason =
        field.rule === 'source' && ctx.profiles.length > 0
          ? 'No baseline profile uses this environment as its source.'
          : 'Create a baseline profile first.';
      if (ctx.canManageBaselines) {
        reasonLink = { href: routes.baselineNew(ctx.workspaceSlug), label: 'New baseline profile' };
      }
    } else if (field && precondition && profiles.every((p) => p.disabled)) {
      reason = precondition.reason;
    }
    return {
      type: t.type,
      label: t.label,
      domId: `start-${t.type.replace(/[^a-z0-9]+/gi, '-')}`,
      action: routes.environmentOperations(ctx.workspaceSlug, ctx.environmentSlug),
      returnTo: here,
      enabled: reason === null,
      reason,
      reasonLink,
      needsBaseline: Boolean(field),
      baselineField: field?.name ?? null,
      profiles,
    };
  });
}

export interface InventorySummary {
  kinds: { kind: string; count: number }[];
  total: number;
  lastSyncAt: string | null;
}

export function inventorySummary(kinds: { kind: string; count: number }[], lastSyncAt: Date | null): InventorySummary {
  return {
    kinds: kinds.map((k) => ({ kind: k.kind, count: Number(k.count) })),
    total: kinds.reduce((sum, k) => sum + Number(k.count), 0),
    lastSyncAt: lastSyncAt ? lastSyncAt.toISOString() : null,
  };
}

export interface CompareSummaryInput {
  id: string;
  profileId: string;
  profileName: string;
  completedAt: Date | null;
  findingsCount: number;
  byType: Record<string, number>;
}

const FINDING_LABELS: Record<string, string> = {
  missing_in_target: 'Missing in this environment',
  unexpected_in_target: 'Not in the baseline',
  setting_differs: 'Settings differ',
};

export function compareSummary(workspaceSlug: string, c: CompareSummaryInput | null) {
  if (!c) return null;
  return {
    href: routes.baselineCompareResult(workspaceSlug, c.id),
    profileName: c.profileName,
    profileHref: routes.baseline(workspaceSlug, c.profileId),
    completedAt: c.completedAt ? c.completedAt.toISOString() : null,
    findingsCount: c.findingsCount,
    byType: Object.keys(FINDING_LABELS).map((type) => ({ type, label: FINDING_LABELS[type], count: c.byType[type] ?? 0 })),
  };
}
