import { asRecord, asString, isRecord, recordsIn } from './json-guards';

const NOT_OBJECTS: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['an array', [{ a: 1 }]],
  ['a string', 'x'],
  ['a number', 0],
  ['a boolean', true],
];

describe('isRecord / asRecord', () => {
  it('accepts JSON objects, empty or not', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ a: 1 })).toBe(true);
    const value = { a: 1 };
    expect(asRecord(value)).toBe(value);
  });

  it.each(NOT_OBJECTS)('refuses %s', (_why, value) => {
    expect(isRecord(value)).toBe(false);
    expect(asRecord(value)).toBeNull();
  });
});

describe('recordsIn', () => {
  it('keeps only the objects of an array, in order', () => {
    expect(recordsIn([{ a: 1 }, null, 'x', [1], { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it.each([['null', null], ['an object', { a: 1 }], ['a string', 'ab']])('gives [] for %s', (_why, value) => {
    expect(recordsIn(value)).toEqual([]);
  });
});

describe('asString', () => {
  it('passes strings through, the empty one too', () => {
    expect(asString('a')).toBe('a');
    expect(asString('')).toBe('');
  });

  it.each([['null', null], ['a number', 1], ['an object', { a: 'x' }]])('gives null for %s', (_why, value) => {
    expect(asString(value)).toBeNull();
  });
});
