import { createHash } from 'node:crypto';
import { BaselineRules } from './baseline-rules';
import { normalizedItemHash, normalizeSettings } from './normalization';

const rules: BaselineRules = {
  volatile_fields: ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'],
  volatile_prefixes: ['@odata.'],
  kinds: {
    policy: {
      volatile_fields: ['settingCount'],
      unordered_arrays: ['groups', 'rules', 'rules.actions', 'nested.tags'],
    },
  },
};

const settings = () => ({
  '@odata.type': '#microsoft.graph.thing',
  id: 'abc',
  createdDateTime: '2024-01-01T00:00:00Z',
  lastModifiedDateTime: '2024-02-01T00:00:00Z',
  version: 7,
  settingCount: 3,
  zeta: 1,
  alpha: { version: 2, beta: true, '@odata.context': 'x', id: 'nested-id', gamma: [3, 1, 2] },
  groups: ['g2', 'g1', 'g3'],
  order: ['first', 'second'],
  rules: [
    { name: 'b', id: 'r2', actions: [{ type: 'z' }, { type: 'a', lastModifiedDateTime: 'now' }] },
    { name: 'a', id: 'r1', actions: [] },
  ],
  nested: { tags: ['y', 'x'], untouched: ['y', 'x'] },
});

const normalize = (s: Record<string, unknown>, kind = 'policy') => normalizeSettings(s, kind, rules);
const hash = (s: Record<string, unknown>, kind = 'policy', display_name = 'P') =>
  normalizedItemHash({ kind, display_name, normalized: normalizeSettings(s, kind, rules) });

/** Same content, every object's keys reversed and every configured-unordered array reversed. */
function shuffled(value: unknown, path = ''): unknown {
  const unordered = ['groups', 'rules', 'rules.actions', 'nested.tags'];
  if (Array.isArray(value)) {
    const items = value.map((v) => shuffled(v, path));
    return unordered.includes(path) ? items.reverse() : items;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffled(v, path ? `${path}.${k}` : k)]));
  }
  return value;
}

describe('normalizeSettings', () => {
  it('strips volatile fields and @odata.* keys at any depth, including inside arrays of objects', () => {
    const out = normalize(settings());
    expect(out).toEqual({
      alpha: { beta: true, gamma: [3, 1, 2] },
      groups: ['g1', 'g2', 'g3'],
      nested: { tags: ['x', 'y'], untouched: ['y', 'x'] },
      order: ['first', 'second'],
      rules: [
        { actions: [], name: 'a' },
        { actions: [{ type: 'a' }, { type: 'z' }], name: 'b' },
      ],
      zeta: 1,
    });
  });

  it('sorts keys at every depth', () => {
    const out = normalize(settings());
    expect(Object.keys(out)).toEqual(['alpha', 'groups', 'nested', 'order', 'rules', 'zeta']);
    expect(Object.keys(out.alpha as object)).toEqual(['beta', 'gamma']);
  });

  it('sorts arrays only at the kind\'s unordered paths; other arrays keep their order', () => {
    const out = normalize(settings());
    expect((out.alpha as { gamma: number[] }).gamma).toEqual([3, 1, 2]);
    expect(out.order).toEqual(['first', 'second']);
    expect((out.nested as { untouched: string[] }).untouched).toEqual(['y', 'x']);
    // An unknown kind has no unordered paths: the same arrays keep their order.
    expect(normalize(settings(), 'otherKind').groups).toEqual(['g2', 'g1', 'g3']);
    // Kind volatile fields apply only to that kind.
    expect(normalize(settings(), 'otherKind').settingCount).toBe(3);
  });

  it('never mutates its input', () => {
    const input = settings();
    const copy = JSON.parse(JSON.stringify(input));
    const out = normalize(input);
    expect(input).toEqual(copy);
    (out.groups as string[]).push('changed');
    expect(input.groups).toEqual(['g2', 'g1', 'g3']);
  });

  it('is idempotent', () => {
    const once = normalize(settings());
    expect(normalize(once)).toEqual(once);
  });
});

describe('normalizedItemHash', () => {
  it('is a sha256 hex digest', () => {
    expect(hash(settings())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is equal for shuffled key order and shuffled unordered arrays', () => {
    expect(hash(shuffled(settings()) as Record<string, unknown>)).toBe(hash(settings()));
  });

  it('is equal when only volatile fields differ', () => {
    const other = { ...settings(), id: 'zzz', version: 99, '@odata.etag': 'W/1', settingCount: 40 };
    other.alpha = { ...other.alpha, id: 'other-nested', version: 5 };
    expect(hash(other)).toBe(hash(settings()));
  });

  it('is stable across runs (pinned digest)', () => {
    expect(normalizedItemHash({ kind: 'k', display_name: 'd', normalized: { b: 1, a: [true, null] } })).toBe(
      normalizedItemHash({ kind: 'k', display_name: 'd', normalized: { a: [true, null], b: 1 } }),
    );
    // sha256('{"display_name":"d","kind":"k","normalized":{"a":[true,null],"b":1}}')
    expect(normalizedItemHash({ kind: 'k', display_name: 'd', normalized: { b: 1, a: [true, null] } })).toBe(
      createHash('sha256')
        .update('{"display_name":"d","kind":"k","normalized":{"a":[true,null],"b":1}}')
        .digest('hex'),
    );
  });

  it('differs when a real setting changes', () => {
    expect(hash({ ...settings(), zeta: 2 })).not.toBe(hash(settings()));
    const deep = settings();
    deep.rules[0].actions[0].type = 'y';
    expect(hash(deep)).not.toBe(hash(settings()));
  });

  it('differs when an ordered array is reordered', () => {
    expect(hash({ ...settings(), order: ['second', 'first'] })).not.toBe(hash(settings()));
    const gamma = settings();
    gamma.alpha.gamma = [1, 2, 3];
    expect(hash(gamma)).not.toBe(hash(settings()));
  });

  it('differs by kind and display name', () => {
    expect(hash(settings(), 'policy', 'Q')).not.toBe(hash(settings(), 'policy', 'P'));
    const normalized = normalize(settings());
    expect(normalizedItemHash({ kind: 'a', display_name: 'P', normalized })).not.toBe(
      normalizedItemHash({ kind: 'b', display_name: 'P', normalized }),
    );
  });
});
