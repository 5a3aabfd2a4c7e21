import { BASELINE_CAPTURE_START_FORM, BASELINE_COMPARE_START_FORM } from '../../baselines/adapters/run-handlers/baseline-start-forms';
import { routes } from '../../../shared/core/routes';
import { RunResource } from '../../operations/core/run-resource';
import {
  compareSummary,
  environmentAttention,
  environmentHealthCard,
  escalateStale,
  failedSinceHref,
  inventorySummary,
  sevenDaysAgoDay,
  startForms,
  ARCHIVED_START_REASON,
  StartFormsContext,
  workspaceKpis,
} from './workspace-page-models';

const run = (id: string, problem: RunResource['problem_class']) => ({ id, problem_class: problem }) as RunResource;
const counts = { all: 9, active: 4, active_stale_attention: 2, terminal_follow_up: 3, reconciled: 1 };

describe('workspace pages view model', () => {
  it('builds hub URLs that reproduce each number', () => {
    expect(routes.hub('contoso-msp')).toBe('/w/contoso-msp/operations');
    expect(routes.hub('contoso-msp', { tab: 'active_stale_attention', environment: 'contoso-hq' })).toBe(
      '/w/contoso-msp/operations?tab=active_stale_attention&environment=contoso-hq',
    );
    expect(failedSinceHref('a b', 'x&y', '2026-11-15')).toBe(
      '/w/a%20b/operations?outcome=failed&environment=x%26y&from=2026-11-15',
    );
  });

  it('takes "the last 7 days" from the given clock, as a UTC day', () => {
    expect(sevenDaysAgoDay(new Date('2026-11-22T00:30:00Z'))).toBe('2026-11-15');
    expect(sevenDaysAgoDay(new Date('2026-03-03T23:59:59Z'))).toBe('2026-02-24');
  });

  it('puts likely stale runs first without hiding or reordering the others', () => {
    const runs = [run('a', 'none'), run('b', 'active_stale_attention'), run('c', 'none'), run('d', 'active_stale_attention')];
    expect(escalateStale(runs).map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('links every KPI to its hub tab with the hub count', () => {
    expect(workspaceKpis('ws', counts)).toEqual([
      { key: 'active', label: 'Active runs', value: 4, href: '/w/ws/operations?tab=active' },
      { key: 'active_stale_attention', label: 'Stale attention', value: 2, href: '/w/ws/operations?tab=active_stale_attention' },
      { key: 'terminal_follow_up', label: 'Needs follow-up', value: 3, href: '/w/ws/operations?tab=terminal_follow_up' },
      { key: 'reconciled', label: 'Reconciled', value: 1, href: '/w/ws/operations?tab=reconciled' },
    ]);
  });

  it('maps an environment health card with drill-through links', () => {
    const card = environmentHealthCard('ws', {
      slug: 'hq',
      name: 'HQ',
      counts,
      failedSinceCount: 5,
      fromDay: '2026-11-15',
      lastSyncAt: new Date('2026-11-20T10:00:00Z'),
      latestCompare: { id: 'c1', findingsCount: 7, completedAt: null, profileName: 'P' },
    });
    expect(card).toMatchObject({
      href: '/w/ws/e/hq',
      active: { value: 4, href: '/w/ws/operations?tab=active&environment=hq' },
      stale: { value: 2, href: '/w/ws/operations?tab=active_stale_attention&environment=hq' },
      failed7d: { value: 5, href: '/w/ws/operations?outcome=failed&environment=hq&from=2026-11-15' },
      lastSyncAt: '2026-11-20T10:00:00.000Z',
      drift: { value: 7, href: '/w/ws/baselines/compare-results/c1', profileName: 'P', completedAt: null },
    });
    expect(environmentHealthCard('ws', { slug: 'hq', name: 'HQ', counts, failedSinceCount: 0, fromDay: 'd', lastSyncAt: null, latestCompare: null }))
      .toMatchObject({ lastSyncAt: null, drift: null });
  });

  it('links the dashboard\'s stale and failed-in-7-days numbers to the hub views that list exactly them', () => {
    expect(environmentAttention('ws', 'a&b', { staleCount: 1, failedSinceCount: 3, fromDay: '2026-11-15' })).toEqual({
      stale: { value: 1, href: '/w/ws/operations?tab=active_stale_attention&environment=a%26b' },
      failed7d: { value: 3, href: '/w/ws/operations?outcome=failed&environment=a%26b&from=2026-11-15' },
    });
  });

  describe('start forms', () => {
    const ctx: StartFormsContext = {
      workspaceSlug: 'ws',
      environmentSlug: 'hq',
      environmentId: 'env-hq',
      canManageBaselines: false,
      profiles: [
        { id: 'p1', name: 'HQ baseline', sourceEnvironmentId: 'env-hq', hasCompleteSnapshot: true },
        { id: 'p2', name: 'Other baseline', sourceEnvironmentId: 'env-other', hasCompleteSnapshot: false },
      ],
    };
    // The start forms the baselines module registers with its handlers.
    const types = (allowed: boolean) => [
      { type: 'baseline.capture', label: 'Baseline capture', allowed, form: BASELINE_CAPTURE_START_FORM },
      { type: 'baseline.compare', label: 'Baseline compare', allowed, form: BASELINE_COMPARE_START_FORM },
      { type: 'inventory.sync', label: 'Inventory sync', allowed },
    ];

    it('enables forms the role allows, posting back to this dashboard', () => {
      const [capture, compare, sync] = startForms(types(true), ctx);
      expect(sync).toMatchObject({ enabled: true, reason: null, needsBaseline: false, action: '/w/ws/e/hq/operations', returnTo: '/w/ws/e/hq', domId: 'start-inventory-sync' });
      // Capture only from the profile's source environment; compare against any visible profile.
      expect(capture.profiles.map((p) => p.id)).toEqual(['p1']);
      expect(compare.profiles).toEqual([
        { id: 'p1', name: 'HQ baseline', disabled: false, note: null, selected: true },
        { id: 'p2', name: 'Other baseline', disabled: true, note: 'no snapshot yet', selected: false },
      ]);
      expect(compare.enabled).toBe(true);
    });

    it('preselects the first choosable profile (the select starts with an empty placeholder)', () => {
      const [, compare] = startForms(types(true), { ...ctx, profiles: [...ctx.profiles].reverse() });
      expect(compare.profiles.map((p) => [p.id, p.disabled, p.selected])).toEqual([
        ['p2', true, false],
        ['p1', false, true],
      ]);
    });

    it('disables every form of an archived environment, saying so, whatever the role allows', () => {
      for (const allowed of [true, false]) {
        const forms = startForms(types(allowed), { ...ctx, archived: true });
        expect(forms.map((f) => [f.enabled, f.reason])).toEqual(forms.map(() => [false, ARCHIVED_START_REASON]));
      }
      expect(ARCHIVED_START_REASON).toMatch(/^This environment is archived/);
    });

    it('disables every form with the reason when the role lacks the capability', () => {
      const forms = startForms(types(false), ctx);
      expect(forms.map((f) => [f.enabled, f.reason])).toEqual([
        [false, 'Your role cannot start Baseline capture.'],
        [false, 'Your role cannot start Baseline compare.'],
        [false, 'Your role cannot start Inventory sync.'],
      ]);
    });

    it('asks for a baseline profile first when there is none to choose', () => {
      const [capture, compare] = startForms(types(true), { ...ctx, profiles: [], canManageBaselines: true });
      expect(capture).toMatchObject({ enabled: false, reason: 'Create a baseline profile first.', reasonLink: { href: '/w/ws/baselines/new' } });
      expect(compare).toMatchObject({ enabled: false, reason: 'Create a baseline profile first.' });
      const [, compareNoManage] = startForms(types(true), { ...ctx, profiles: [] });
      expect(compareNoManage.reasonLink).toBeNull();
    });

    it('says why a capture is unavailable when the profiles capture other environments', () => {
      const elsewhere = ctx.profiles.map((p) => ({ ...p, sourceEnvironmentId: 'another-environment' }));
      const [capture, compare] = startForms(types(true), { ...ctx, profiles: elsewhere, canManageBaselines: true });
      expect(capture).toMatchObject({ enabled: false, reason: 'No baseline profile uses this environment as its source.' });
      expect(compare.reason).not.toBe('No baseline profile uses this environment as its source.');
    });

    it('disables a compare whose profiles have no snapshot yet', () => {
      const [, compare] = startForms(types(true), { ...ctx, profiles: [ctx.profiles[1]] });
      expect(compare).toMatchObject({ enabled: false, reason: 'Capture a baseline snapshot first.' });
    });
  });

  it('summarizes inventory and the latest compare', () => {
    expect(inventorySummary([{ kind: 'a', count: 2 }, { kind: 'b', count: 3 }], null)).toEqual({
      kinds: [{ kind: 'a', count: 2 }, { kind: 'b', count: 3 }],
      total: 5,
      lastSyncAt: null,
    });
    expect(compareSummary('ws', null)).toBeNull();
    expect(
      compareSummary('ws', { id: 'c', profileId: 'p', profileName: 'P', completedAt: null, findingsCount: 3, byType: { setting_differs: 3 } }),
    ).toMatchObject({ href: '/w/ws/baselines/compare-results/c', profileHref: '/w/ws/baselines/p', findingsCount: 3 });
  });
});
