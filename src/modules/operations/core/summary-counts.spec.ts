import { thrown } from '../../../../test/support/domain-errors';
import { isSummaryCountKey, readSummaryCounts, SUMMARY_COUNT_KEYS, validateSummaryCounts } from './summary-counts';

describe('SUMMARY_COUNT_KEYS', () => {
  it('holds the keys SPEC 2.1 names', () => {
    for (const key of ['total', 'processed', 'succeeded', 'failed', 'skipped', 'created', 'updated', 'findings']) {
      expect(isSummaryCountKey(key)).toBe(true);
    }
  });

  it('has no duplicates', () => {
    expect(new Set(SUMMARY_COUNT_KEYS).size).toBe(SUMMARY_COUNT_KEYS.length);
  });

  it.each(['Total', 'percent', '', '__proto__', 'constructor', 'toString'])('does not accept %j', (key) => {
    expect(isSummaryCountKey(key)).toBe(false);
  });
});

describe('validateSummaryCounts', () => {
  it('returns every key and value when all are valid, including zero and fractions', () => {
    const input = { total: 10, processed: 0, succeeded: 2.5 };
    const out = validateSummaryCounts(input);
    expect(out).toEqual({ total: 10, processed: 0, succeeded: 2.5 });
    expect(out).not.toBe(input);
  });

  it('accepts every registry key', () => {
    const all = Object.fromEntries(SUMMARY_COUNT_KEYS.map((key, i) => [key, i]));
    expect(validateSummaryCounts(all)).toEqual(all);
  });

  it('accepts an empty object', () => {
    expect(validateSummaryCounts({})).toEqual({});
  });

  it('names the unknown key', () => {
    const error = thrown(() => validateSummaryCounts({ total: 1, percent: 50 }));
    expect(error.code).toBe('invalid_summary_counts');
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('"percent"');
  });

  it.each<[string, unknown]>([
    ['a numeric string', '10'],
    ['a boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['an object', { n: 1 }],
    ['an array', [1]],
    ['a negative number', -1],
    ['a negative fraction', -0.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a bigint', BigInt(3)],
  ])('rejects %s', (_label, value) => {
    const error = thrown(() => validateSummaryCounts({ processed: value }));
    expect(error.code).toBe('invalid_summary_counts');
    expect(error.message).toBe('Summary count "processed" must be a non-negative number.');
  });
});

describe('readSummaryCounts', () => {
  it('keeps known non-negative finite numbers and drops everything else', () => {
    expect(
      readSummaryCounts({
        total: 10,
        processed: 4,
        failed: '2',
        skipped: -1,
        created: Number.NaN,
        updated: null,
        legacy_percent: 40,
        findings: 0,
      }),
    ).toEqual({ total: 10, processed: 4, findings: 0 });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"total":1}'],
    ['a number', 5],
    ['an array', [1, 2]],
  ])('returns {} for %s', (_label, raw) => {
    expect(readSummaryCounts(raw)).toEqual({});
  });

  it('never throws on foreign rows', () => {
    expect(() => readSummaryCounts({ total: { nested: true }, processed: [1] })).not.toThrow();
    expect(readSummaryCounts({ total: { nested: true }, processed: [1] })).toEqual({});
  });
});
