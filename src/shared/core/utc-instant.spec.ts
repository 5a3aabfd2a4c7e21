import { isUtcInstant } from './utc-instant';

describe('isUtcInstant', () => {
  it.each(['2026-11-22T07:40:11Z', '2026-11-22T07:40:11.9Z', '2026-11-22T07:40:11.123456Z', '2024-02-29T23:59:59.999999Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z'])(
    'accepts %s',
    (text) => expect(isUtcInstant(text)).toBe(true),
  );

  it.each([
    ['a day February lacks', '2026-02-31T10:00:00Z'],
    ['29 February of a common year', '2025-02-29T10:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['day 0', '2026-01-00T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T10:60:00Z'],
    ['leap second', '2026-12-31T23:59:60Z'],
    ['year 0 (PostgreSQL has none)', '0000-01-01T00:00:00Z'],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['more than microseconds', '2026-01-01T00:00:00.1234567Z'],
    ['an offset instead of Z', '2026-01-01T00:00:00+01:00'],
    ['a date only', '2026-01-01'],
  ])('refuses %s', (_name, text) => expect(isUtcInstant(text)).toBe(false));
});
