import { DomainError } from '../../../shared/core/domain-error';
import { parseReviewInput } from './review-period';

const NOW = new Date('2024-03-15T10:00:00Z');

function errorOf(raw: unknown): DomainError {
  try {
    parseReviewInput(raw, NOW);
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected parseReviewInput to throw');
}

describe('parseReviewInput', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty object', {}],
    ['only undefined values', { period: undefined }],
  ])('%s → the current UTC month', (_name, raw) => {
    expect(parseReviewInput(raw, NOW)).toEqual({ period: { from: '2024-03-01', to: '2024-04-01', label: '2024-03' } });
  });

  it('uses the UTC month, not the local one, at a month boundary', () => {
    expect(parseReviewInput({}, new Date('2024-03-31T23:59:59.999Z')).period.label).toBe('2024-03');
    expect(parseReviewInput({}, new Date('2024-04-01T00:00:00Z')).period.label).toBe('2024-04');
  });

  it.each([
    ['2024-03', { from: '2024-03-01', to: '2024-04-01', label: '2024-03' }],
    ['2023-12', { from: '2023-12-01', to: '2024-01-01', label: '2023-12' }],
    ['2024-02', { from: '2024-02-01', to: '2024-03-01', label: '2024-02' }],
    ['2024-01', { from: '2024-01-01', to: '2024-02-01', label: '2024-01' }],
  ])('period %s', (period, expected) => {
    expect(parseReviewInput({ period }, NOW)).toEqual({ period: expected });
  });

  it('December of the current year rolls over into January', () => {
    expect(parseReviewInput(undefined, new Date('2024-12-31T12:00:00Z')).period).toEqual({
      from: '2024-12-01',
      to: '2025-01-01',
      label: '2024-12',
    });
  });

  it('a range includes its last day (stored as the day after)', () => {
    expect(parseReviewInput({ from: '2024-03-05', to: '2024-03-20' }, NOW)).toEqual({
      period: { from: '2024-03-05', to: '2024-03-21', label: '2024-03-05 – 2024-03-20' },
    });
  });

  it('a one-day range is allowed', () => {
    expect(parseReviewInput({ from: '2024-03-05', to: '2024-03-05' }, NOW).period).toEqual({
      from: '2024-03-05',
      to: '2024-03-06',
      label: '2024-03-05 – 2024-03-05',
    });
  });

  it('a range ending on Dec 31 rolls into the next year', () => {
    expect(parseReviewInput({ from: '2024-12-15', to: '2024-12-31' }, new Date('2024-12-31T12:00:00Z')).period.to).toBe('2025-01-01');
  });

  it('a range ending on a leap day ends on Mar 1', () => {
    expect(parseReviewInput({ from: '2024-02-10', to: '2024-02-29' }, NOW).period).toEqual({
      from: '2024-02-10',
      to: '2024-03-01',
      label: '2024-02-10 – 2024-02-29',
    });
  });

  it('a range covering exactly one calendar month is that month', () => {
    expect(parseReviewInput({ from: '2024-02-01', to: '2024-02-29' }, NOW)).toEqual(parseReviewInput({ period: '2024-02' }, NOW));
  });

  it('accepts the current month and January 2000, the ends of the allowed span', () => {
    expect(parseReviewInput({ period: '2024-03' }, NOW).period.label).toBe('2024-03');
    expect(parseReviewInput({ period: '2000-01' }, NOW).period.label).toBe('2000-01');
    expect(parseReviewInput({ from: '2000-01-01', to: '2024-03-31' }, NOW).period.to).toBe('2024-04-01');
  });

  it('is idempotent: its own output parses to itself', () => {
    for (const raw of [{}, { period: '2023-12' }, { from: '2024-02-10', to: '2024-02-29' }]) {
      const once = parseReviewInput(raw, NOW);
      expect(parseReviewInput(once, new Date('2030-01-01T00:00:00Z'))).toEqual(once);
    }
  });

  it.each([
    ['a string', '2024-03', 'input'],
    ['an array', ['2024-03'], 'input'],
    ['a number', 202403, 'input'],
    ['an unknown key', { month: '2024-03' }, 'month'],
    ['an unknown key beside a valid one', { period: '2024-03', extra: 1 }, 'extra'],
    ['period and range together', { period: '2024-03', from: '2024-03-01', to: '2024-03-02' }, 'period'],
    ['month 13', { period: '2024-13' }, 'period'],
    ['month 00', { period: '2024-00' }, 'period'],
    ['single-digit month', { period: '2024-3' }, 'period'],
    ['a day instead of a month', { period: '2024-03-01' }, 'period'],
    ['garbage period', { period: 'last month' }, 'period'],
    ['numeric period', { period: 202403 }, 'period'],
    ['year before 1970', { period: '1969-12' }, 'period'],
    // Within 2000 and the current month (NOW is March 2024): a far-future month would only fail later.
    ['a month before 2000', { period: '1999-12' }, 'period'],
    ['next month', { period: '2024-04' }, 'period'],
    ['year 9999', { period: '9999-12' }, 'period'],
    ['a range starting before 2000', { from: '1999-12-31', to: '2000-01-05' }, 'from'],
    ['a range ending after the current month', { from: '2024-03-01', to: '2024-04-01' }, 'to'],
    ['a range in year 9999', { from: '9999-01-01', to: '9999-01-02' }, 'to'],
    ['from without to', { from: '2024-03-01' }, 'to'],
    ['to without from', { to: '2024-03-01' }, 'from'],
    ['to before from', { from: '2024-03-10', to: '2024-03-09' }, 'to'],
    ['Feb 29 in a non-leap year', { from: '2023-02-01', to: '2023-02-29' }, 'to'],
    ['Apr 31', { from: '2024-04-31', to: '2024-05-02' }, 'from'],
    ['a timestamp instead of a day', { from: '2024-03-01T00:00:00Z', to: '2024-03-02' }, 'from'],
    ['garbage from', { from: 'yesterday', to: '2024-03-02' }, 'from'],
    ['numeric to', { from: '2024-03-01', to: 20240302 }, 'to'],
    ['a forged normalized period', { period: { from: '2024-03-01', to: '2024-04-01', label: '<b>x</b>' } }, 'period'],
    ['a normalized period with extra keys', { period: { from: '2024-03-01', to: '2024-04-01', label: '2024-03', x: 1 } }, 'period'],
  ])('rejects %s naming the field', (_name, raw, field) => {
    const error = errorOf(raw);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('invalid_input');
    expect(error.kind).toBe('invalid');
    expect(error.details).toEqual({ field });
    expect(error.message).toContain(field);
  });
});
