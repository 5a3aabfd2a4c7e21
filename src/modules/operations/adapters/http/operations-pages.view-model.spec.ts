import { BASELINE_COMPARE_RESULT_LINK, BASELINE_SNAPSHOT_LINK } from '../../../baselines/adapters/run-handlers/baseline-artifact-links';
import { ENVIRONMENT_REVIEW_LINK } from '../../../environment-reviews/adapters/run-handlers/environment-review-link';
import { RelatedArtifactLinks } from '../../core/related-artifact-links';
import { RunResource } from '../../core/run-resource';
import { emptyTabCounts } from '../../core/run-tabs';
import {
  buildDiagnostics,
  buildFilters,
  buildPager,
  buildPhaseSteps,
  buildTabs,
  cleanQuery,
  decisionTone,
  hubPollActive,
  hubQueryOf,
  progressPanel,
  relatedLink,
  runBreadcrumb,
  runTitle,
  summaryRows,
} from './operations-pages.view-model';
import { routes } from '../../../../shared/core/routes';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function resource(over: Partial<RunResource> = {}): RunResource {
  return {
    id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    workspace: { id: 'w1', slug: 'contoso-msp', name: 'Contoso MSP' },
    environment: { id: 'e1', slug: 'fabrikam', name: 'Fabrikam' },
    type: 'baseline.compare',
    type_label: 'Baseline compare',
    status: 'running',
    outcome: 'pending',
    initiator: { id: ME, name: 'Me Myself' },
    created_at: null,
    started_at: null,
    last_heartbeat_at: null,
    completed_at: null,
    cancellation: null,
    retry_of: null,
    retried_as: null,
    attempts: 1,
    summary_counts: {},
    freshness: 'fresh',
    problem_class: 'none',
    progress: { mode: 'activity', label: 'Progress details pending.' },
    presentation: {
      banner: null,
      headline: 'x',
      guidance: null,
      badges: [
        { kind: 'status', value: 'running', label: 'Running', tone: 'info' },
        { kind: 'freshness', value: 'fresh', label: 'Fresh', tone: 'info' },
      ],
      links: { self: '/operations/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' },
    },
    reconciliation: null,
    related: null,
    failures: [],
    ...over,
  };
}

describe('operations pages view model', () => {
  describe('hub links', () => {
    it('keeps filters in one stable order and leaves out the default tab and empty values', () => {
      expect(routes.hub('contoso-msp', { environment: 'fabrikam', tab: 'active_stale_attention' })).toBe(
        '/w/contoso-msp/operations?tab=active_stale_attention&environment=fabrikam',
      );
      expect(routes.hub('contoso-msp', { tab: 'all', status: '' })).toBe('/w/contoso-msp/operations');
      expect(routes.hub('a b', { type: 'x&y' }, '/live')).toBe('/w/a%20b/operations/live?type=x%26y');
    });

    it('builds every tab with its count, keeping filters but dropping the cursor', () => {
      const counts = { ...emptyTabCounts(), all: 7, active: 2, reconciled: 1 };
      const tabs = buildTabs('ws', { tab: 'active', environment: 'fabrikam', cursor: 'abc' }, counts);
      expect(tabs.map((t) => t.key)).toEqual(['all', 'active', 'active_stale_attention', 'terminal_follow_up', 'reconciled']);
      expect(tabs.find((t) => t.current)?.key).toBe('active');
      expect(tabs[0]).toMatchObject({ label: 'All', count: 7, href: '/w/ws/operations?environment=fabrikam' });
      expect(tabs[4]).toMatchObject({ label: 'Reconciled', count: 1, href: '/w/ws/operations?tab=reconciled&environment=fabrikam' });
      expect(buildTabs('ws', { tab: 'bogus' }, null)[0]).toMatchObject({ current: true, count: null });
    });

    it('pages forward with the cursor and back to the first page without it', () => {
      expect(buildPager('ws', { status: 'running' }, 'next1')).toEqual({
        nextHref: '/w/ws/operations?status=running&cursor=next1',
        firstHref: null,
      });
      expect(buildPager('ws', { status: 'running', cursor: 'c1' }, null)).toEqual({
        nextHref: null,
        firstHref: '/w/ws/operations?status=running',
      });
    });

    it('drops empty form fields and keeps only hub parameters as strings', () => {
      expect(cleanQuery({ status: '', type: 'inventory.sync', from: undefined })).toEqual({ type: 'inventory.sync' });
      expect(hubQueryOf({ status: 'running', other: 'x', environment: ['a', 'b'] })).toEqual({ status: 'running' });
    });
  });

  describe('filters', () => {
    it('offers visible environments, catalog types, Anyone/Me and the listed initiators', () => {
      const runs = [
        resource(),
        resource({ initiator: { id: OTHER, name: 'Olga Other' } }),
        resource({ initiator: null }),
      ];
      const f = buildFilters({
        query: { environment: 'fabrikam', initiator: OTHER.toUpperCase() },
        environments: [{ slug: 'contoso-hq', name: 'Contoso HQ' }, { slug: 'fabrikam', name: 'Fabrikam' }],
        types: [{ type: 'inventory.sync', label: 'Inventory sync' }],
        viewerId: ME,
        runs,
      });
      expect(f.environments.map((o) => o.value)).toEqual(['', 'contoso-hq', 'fabrikam']);
      expect(f.environments.find((o) => o.selected)?.value).toBe('fabrikam');
      expect(f.types).toEqual([
        { value: '', label: 'All types', selected: true },
        { value: 'inventory.sync', label: 'Inventory sync', selected: false },
      ]);
      expect(f.initiators.map((o) => o.label)).toEqual(['Anyone', 'Me', 'Olga Other']);
      expect(f.initiators.find((o) => o.selected)?.value).toBe(OTHER);
      expect(f.statuses.map((o) => o.value)).toEqual(['', 'queued', 'running', 'completed']);
      expect(f.outcomes.find((o) => o.value === 'partially_succeeded')?.label).toBe('Partially succeeded');
    });

    it('offers the problem classes and keeps the chosen one in every tab, pager and filter link', () => {
      const query = { tab: 'all', environment: 'fabrikam', problem_class: 'terminal_follow_up', cursor: 'c1' };
      const f = buildFilters({ query, environments: [], types: [], viewerId: ME, runs: [] });
      expect(f.problemClasses.map((o) => [o.value, o.label, o.selected])).toEqual([
        ['', 'Any problem class', false],
        ['none', 'No problem', false],
        ['active_stale_attention', 'Stale attention', false],
        ['terminal_follow_up', 'Needs follow-up', true],
        ['reconciled', 'Reconciled', false],
      ]);
      expect(hubQueryOf({ problem_class: 'reconciled', type: 'inventory.sync' })).toEqual({ type: 'inventory.sync', problem_class: 'reconciled' });
      expect(buildTabs('ws', query, null)[1].href).toBe('/w/ws/operations?tab=active&environment=fabrikam&problem_class=terminal_follow_up');
      expect(buildPager('ws', query, 'c2').nextHref).toBe('/w/ws/operations?environment=fabrikam&problem_class=terminal_follow_up&cursor=c2');
    });

    it('keeps a selected initiator that is not on the page', () => {
      const f = buildFilters({ query: { initiator: OTHER }, environments: [], types: [], viewerId: ME, runs: [] });
      expect(f.initiators.map((o) => [o.label, o.selected])).toEqual([
        ['Anyone', false],
        ['Me', false],
        ['Selected user', true],
      ]);
    });

    it('polls on the active tabs or while a listed run is active', () => {
      expect(hubPollActive('active', [])).toBe(true);
      expect(hubPollActive('active_stale_attention', [])).toBe(true);
      expect(hubPollActive('all', [{ status: 'completed' }])).toBe(false);
      expect(hubPollActive(undefined, [{ status: 'completed' }, { status: 'queued' }])).toBe(true);
    });
  });

  describe('run detail', () => {
    const phases = [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }, { key: 'c', label: 'C' }];

    it('marks catalog phases done and current from the 1-based index', () => {
      const run = resource({ progress: { mode: 'phased', label: 'B', phase: { key: 'b', label: 'B', index: 2, count: 3 } } });
      expect(buildPhaseSteps(run, { phases })).toEqual([
        { label: 'A', current: false, done: true },
        { label: 'B', current: true, done: false },
        { label: 'C', current: false, done: false },
      ]);
      expect(buildPhaseSteps(resource(), { phases })).toEqual([]);
    });

    it('links related artifacts to their canonical pages', () => {
      // The links their owning modules register (baselines, environment reviews).
      const links = new RelatedArtifactLinks();
      links.registerAll([BASELINE_SNAPSHOT_LINK, BASELINE_COMPARE_RESULT_LINK, ENVIRONMENT_REVIEW_LINK]);
      expect(relatedLink(resource({ related: { type: 'baseline_snapshot', id: 's1' } }), links)?.href).toBe('/w/contoso-msp/baselines/snapshots/s1');
      expect(relatedLink(resource({ related: { type: 'baseline_compare_result', id: 'r1' } }), links)?.href).toBe(
        '/w/contoso-msp/baselines/compare-results/r1',
      );
      expect(relatedLink(resource({ related: { type: 'environment_review', id: 'v1' } }), links)?.href).toBe('/w/contoso-msp/e/fabrikam/reviews/v1');
      expect(relatedLink(resource({ related: { type: 'environment_review', id: 'v1' }, environment: null }), links)?.href).toBeNull();
      expect(relatedLink(resource({ related: { type: 'other_thing', id: 'x' } }), links)).toEqual({ label: 'Other thing', href: null });
      expect(relatedLink(resource(), links)).toBeNull();
    });

    it('lists summary counts, titles and breadcrumbs', () => {
      expect(summaryRows({ processed: 4, total: 10 })).toEqual([
        { label: 'Processed', value: 4 },
        { label: 'Total', value: 10 },
      ]);
      expect(runTitle(resource())).toBe('Baseline compare · Fabrikam');
      expect(runTitle(resource({ environment: null }))).toBe('Baseline compare · Contoso MSP');
      expect(runBreadcrumb(resource()).map((c) => c.href)).toEqual(['/w/contoso-msp', '/w/contoso-msp/operations', '/w/contoso-msp/e/fabrikam']);
    });

    it('takes the most severe badge tone for the decision zone', () => {
      const stale = resource({
        presentation: {
          ...resource().presentation,
          badges: [
            { kind: 'status', value: 'running', label: 'Running', tone: 'info' },
            { kind: 'freshness', value: 'likely_stale', label: 'Likely stale', tone: 'danger' },
          ],
        },
      });
      expect(decisionTone(stale)).toBe('danger');
      expect(decisionTone(resource())).toBe('info');
    });

    it('prints a progress label once: the panel drops a label equal to the headline and is shown only with something of its own', () => {
      const withProgress = (progress: RunResource['progress'], headline: string) =>
        progressPanel(resource({ progress, presentation: { ...resource().presentation, headline } }));
      const counted = { mode: 'counted' as const, label: '0 / 3000 processed (0%)', counted: { processed: 0, total: 3000, percent: 0 } };
      expect(withProgress(counted, counted.label)).toEqual({ show: true, hideLabel: true });
      expect(withProgress(counted, 'Taking longer')).toEqual({ show: true, hideLabel: false });
      const stale = 'Past the lifecycle window. Review worker health and logs before retrying.';
      const history = { processed: 4, total: 10, reported_at: null, label: 'Last reported 4 of 10 processed' };
      expect(withProgress({ mode: 'counted', label: stale, last_reported: history }, stale)).toEqual({ show: true, hideLabel: true });
      expect(withProgress({ mode: 'activity', label: stale }, stale)).toEqual({ show: false, hideLabel: true });
      expect(withProgress({ mode: 'activity', label: 'Progress details pending.' }, 'Progress details pending.').show).toBe(false);
      expect(withProgress({ mode: 'none', label: 'Waiting for worker.' }, 'Something else').show).toBe(false);
    });

    it('shows diagnostics only when present, with job id and the error', () => {
      expect(buildDiagnostics(resource())).toBeNull();
      const d = buildDiagnostics(resource({ diagnostics: { final_error: { class: 'TypeError', message: 'boom' } } }));
      expect(d).toMatchObject({ jobId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', errorClass: 'TypeError', errorMessage: 'boom' });
      expect(buildDiagnostics(resource({ diagnostics: { job_id: 'j9' } }))).toMatchObject({ jobId: 'j9', errorClass: null });
    });
  });
});
