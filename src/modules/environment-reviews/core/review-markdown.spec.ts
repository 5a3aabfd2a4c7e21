import { missingSection, readySection } from './evidence';
import { escapeMarkdown, ReviewDocument, renderReviewMarkdown } from './review-markdown';

function doc(over: Partial<ReviewDocument> = {}): ReviewDocument {
  return {
    environment: { slug: 'prod', name: 'Production' },
    workspace: { slug: 'acme', name: 'Acme' },
    period: { from: '2024-03-01', to: '2024-04-01', label: '2024-03' },
    status: 'ready',
    composedAt: '2024-03-31T12:00:00.000Z',
    supersedesReviewId: null,
    sections: [
      readySection(
        'baseline_drift',
        {
          compare_results: [{ id: 'cr-1', baseline_name: 'Prod baseline', completed_at: '2024-03-10T08:00:00.000Z', findings: 3 }],
          findings: [
            { type: 'setting_differs', kind: 'deviceConfiguration', count: 2 },
            { type: 'missing_in_target', kind: 'compliancePolicy', count: 1 },
          ],
        },
        { compare_result_ids: ['cr-1'] },
      ),
      readySection(
        'operations_health',
        {
          runs: [
            { type: 'inventory.sync', label: 'Inventory sync', succeeded: 5, partially_succeeded: 1, failed: 2, blocked: 0, reconciled: 1, went_stale: 1 },
            { type: 'baseline.compare', succeeded: 3, partially_succeeded: 0, failed: 0, blocked: 1, reconciled: 0, went_stale: 0 },
          ],
        },
        {},
      ),
      readySection(
        'inventory_coverage',
        { items: [{ kind: 'deviceConfiguration', count: 40 }], last_successful_sync_at: '2024-03-30T09:00:00.000Z' },
        {},
      ),
    ],
    ...over,
  };
}

describe('renderReviewMarkdown', () => {
  it('renders a readable document: title, period, status and one heading per section', () => {
    const md = renderReviewMarkdown(doc());
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Environment review: Production');
    expect(md).toContain('- **Period:** 2024-03 (2024-03-01 to 2024-04-01, end exclusive)');
    expect(md).toContain('- **Status:** ready');
    expect(md).toContain('- **Composed:** 2024-03-31T12:00:00.000Z');
    expect(lines.filter((l) => l.startsWith('## '))).toEqual(['## Baseline drift', '## Operations health', '## Inventory coverage']);
    expect(md).not.toContain('Supersedes');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('shows drift findings by type and kind', () => {
    const md = renderReviewMarkdown(doc());
    expect(md).toContain('- Prod baseline: 3 findings, completed 2024-03-10T08:00:00.000Z');
    expect(md).toContain('| Finding type | Kind | Count |');
    expect(md).toContain('| setting\\_differs | deviceConfiguration | 2 |');
    expect(md).toContain('| missing\\_in\\_target | compliancePolicy | 1 |');
  });

  it('states the inventory time each compare used, when the review recorded one', () => {
    const drift = readySection(
      'baseline_drift',
      {
        compare_results: [
          { id: 'cr-1', baseline_name: 'Prod baseline', completed_at: '2024-03-10T08:00:00.000Z', findings: 3, inventory_synced_at: '2024-03-10T07:02:00.000Z' },
          { id: 'cr-2', baseline_name: 'Older review', completed_at: '2024-03-11T08:00:00.000Z', findings: 0 },
        ],
        findings: [],
      },
      {},
    );
    const md = renderReviewMarkdown(doc({ sections: [drift] }));
    expect(md).toContain('- Prod baseline: 3 findings, completed 2024-03-10T08:00:00.000Z, inventory synced 2024-03-10T07:02:00.000Z');
    expect(md).toContain('- Older review: 0 findings, completed 2024-03-11T08:00:00.000Z\n');
  });

  it('shows runs per type with every outcome column, falling back to the type name', () => {
    const md = renderReviewMarkdown(doc());
    expect(md).toContain('| Operation | Succeeded | Partially succeeded | Failed | Blocked | Reconciled | Went stale |');
    expect(md).toContain('| Inventory sync | 5 | 1 | 2 | 0 | 1 | 1 |');
    expect(md).toContain('| baseline.compare | 3 | 0 | 0 | 1 | 0 | 0 |');
  });

  it('shows items per kind and the last successful sync', () => {
    const md = renderReviewMarkdown(doc());
    expect(md).toContain('Last successful sync: 2024-03-30T09:00:00.000Z');
    expect(md).toContain('| deviceConfiguration | 40 |');
  });

  it('shows a missing section with its explanation', () => {
    const md = renderReviewMarkdown(
      doc({ sections: [missingSection('inventory_coverage', 'No inventory sync has succeeded for this environment yet.')] }),
    );
    expect(md).toContain('## Inventory coverage\n\n_Missing:_ No inventory sync has succeeded for this environment yet.');
  });

  it('shows lineage and a draft without a composed time', () => {
    const md = renderReviewMarkdown(doc({ status: 'draft', composedAt: null, supersedesReviewId: 'rev-1' }));
    expect(md).toContain('- **Composed:** not yet');
    expect(md).toContain('- **Supersedes review:** rev-1');
  });

  it('says so when a ready section has no rows, and survives malformed data', () => {
    const md = renderReviewMarkdown(
      doc({
        sections: [
          readySection('baseline_drift', { compare_results: [] }, {}),
          readySection('operations_health', { runs: 'nope' }, {}),
          readySection('inventory_coverage', { items: [null, 3], last_successful_sync_at: 7 }, {}),
          { ...readySection('baseline_drift', {}, {}), data: null },
        ],
      }),
    );
    expect(md).toContain('No baseline compare results in this period.');
    expect(md).toContain('No operation runs in this period.');
    expect(md).toContain('Last successful sync: never');
    expect(md).toContain('No inventory items recorded.');
    expect(md).toContain('No data recorded.');
    expect(md).not.toMatch(/undefined|NaN|\[object/);
  });

  describe('escaping user-controlled text', () => {
    const hostile = '# Pwned\n## [click](https://evil.example) <script>x</script> | *bold* `code` ![img](x)';

    it('a display name cannot add headings, links, HTML or table cells', () => {
      const md = renderReviewMarkdown(
        doc({
          environment: { slug: 'prod', name: hostile },
          workspace: { slug: 'acme', name: hostile },
          sections: [
            readySection('baseline_drift', { compare_results: [{ id: 'x', baseline_name: hostile, findings: 1 }], findings: [{ type: 't', kind: 'a|b', count: 1 }] }, {}),
          ],
        }),
      );
      const lines = md.split('\n');
      expect(lines.filter((l) => /^#{1,6} /.test(l))).toEqual([lines[0], '## Baseline drift']);
      expect(md).not.toMatch(/(^|[^\\])\[click/);
      expect(md).not.toMatch(/(^|[^\\])<script/);
      expect(md).not.toMatch(/(^|[^\\])!\[img/);
      expect(md).toContain('| t | a\\|b | 1 |');
    });

    it.each([
      ['# heading', '\\# heading'],
      ['line\nbreak\r\nagain', 'line break again'],
      ['[a](b)', '\\[a\\]\\(b\\)'],
      ['<b>x</b>', '\\<b\\>x\\</b\\>'],
      ['a|b', 'a\\|b'],
      ['*x* _y_ `z` ~w~', '\\*x\\* \\_y\\_ \\`z\\` \\~w\\~'],
      ['back\\slash', 'back\\\\slash'],
      ['Plain name-1.2 (EU)', 'Plain name-1.2 \\(EU\\)'],
    ])('%j → %j', (input, expected) => {
      expect(escapeMarkdown(input)).toBe(expected);
    });
  });
});
