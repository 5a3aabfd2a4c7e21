import { parseBulkFilter, parseBulkInput, parseFanOutInput } from './bulk-input';

describe('parseBulkInput', () => {
  it('keeps the hub filter keys with values, sorted, so one view dedupes to one bulk run', () => {
    expect(parseBulkInput('operations.bulk_cancel', { filter: { type: 'inventory.sync', tab: 'active', environment: '' } })).toEqual({
      filter: { tab: 'active', type: 'inventory.sync' },
    });
    expect(Object.keys(parseBulkFilter({ type: 'x', environment: 'a', tab: 'all' }))).toEqual(['environment', 'tab', 'type']);
  });

  it('an absent filter is every run of the workspace', () => {
    expect(parseBulkInput('operations.bulk_cancel', {})).toEqual({ filter: {} });
  });

  it.each([
    ['not an object', 'x', 'The input of operations.bulk_cancel must be an object.'],
    ['an unknown key', { filter: {}, limit: 5 }, 'operations.bulk_cancel does not take "limit".'],
    ['a paging key in the filter', { filter: { cursor: 'abc' } }, 'filter.cursor is not a hub filter'],
    ['a non-text value', { filter: { tab: ['active'] } }, 'filter.tab must be a short text value.'],
    ['an unknown tab', { filter: { tab: 'everything' } }, 'filter.tab must be one of: all, active'],
    ['a bad initiator', { filter: { initiator: 'me' } }, 'filter.initiator must be a user id (UUID).'],
    ['a bad day', { filter: { from: '1 May' } }, 'filter.from must be a day written YYYY-MM-DD.'],
    ['a NUL', { filter: { environment: 'a\0b' } }, 'filter.environment must be a short text value.'],
  ])('refuses %s (400 invalid_input)', (_name, raw, message) => {
    expect(() => parseBulkInput('operations.bulk_cancel', raw)).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining(message) }));
  });
});

describe('parseFanOutInput', () => {
  it('"all" by default, slugs sorted, the type\'s own input kept', () => {
    expect(parseFanOutInput('operations.fan_out', { type: 'inventory.sync' })).toEqual({ type: 'inventory.sync', environments: 'all', input: {} });
    expect(parseFanOutInput('operations.fan_out', { type: 'baseline.compare', environments: ['b', 'a'], input: { baseline_id: 'x' } })).toEqual({
      type: 'baseline.compare',
      environments: ['a', 'b'],
      input: { baseline_id: 'x' },
    });
  });

  it.each([
    ['no type', { environments: 'all' }],
    ['an empty list', { type: 't', environments: [] }],
    ['repeated slugs', { type: 't', environments: ['a', 'a'] }],
    ['a non-string slug', { type: 't', environments: [1] }],
    ['some other word', { type: 't', environments: 'every' }],
    ['an input that is not an object', { type: 't', input: 'x' }],
    ['an unknown key', { type: 't', when: 'now' }],
  ])('refuses %s', (_name, raw) => {
    expect(() => parseFanOutInput('operations.fan_out', raw)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
