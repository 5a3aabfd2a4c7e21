import { BaselineRules, SECRET_MASK } from './baseline-rules';
import { ComparableItem, compareInventories, diffItem, FINDING_TYPES, findingForPair, matchItems } from './drift';
import { normalizeSettings } from './normalization';

const rules: BaselineRules = {
  volatile_fields: ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'],
  volatile_prefixes: ['@odata.'],
  kinds: {
    byName: { match_by_display_name: true, unordered_arrays: ['groups'] },
    byId: { match_by_display_name: false },
    wifi: {
      unordered_arrays: ['networks'],
      secret_settings: ['preSharedKey', 'networks.key', 'proxy.auth'],
    },
  },
};

function item(kind: string, external_id: string, display_name: string, settings: Record<string, unknown> = {}): ComparableItem {
  return { kind, external_id, display_name, normalized: normalizeSettings(settings, kind, rules) };
}

describe('FINDING_TYPES', () => {
  it('lists the three finding types', () => {
    expect(FINDING_TYPES).toEqual(['missing_in_target', 'unexpected_in_target', 'setting_differs']);
  });
});

describe('compareInventories', () => {
  it('classifies every finding type and skips equal items', () => {
    const baseline = [
      item('byId', 'same', 'Same', { a: 1 }),
      item('byId', 'gone', 'Gone', { a: 1 }),
      item('byId', 'changed', 'Changed', { a: 1, deep: { b: 'x', c: true } }),
    ];
    const current = [
      item('byId', 'changed', 'Changed', { a: 1, deep: { b: 'y', c: true } }),
      item('byId', 'new', 'New', { a: 2 }),
      item('byId', 'same', 'Same', { a: 1, id: 'other', version: 9 }),
    ];
    expect(compareInventories(baseline, current, rules)).toEqual([
      {
        type: 'setting_differs',
        kind: 'byId',
        external_id: 'changed',
        display_name: 'Changed',
        changes: [{ path: 'deep.b', before: 'x', after: 'y' }],
      },
      { type: 'missing_in_target', kind: 'byId', external_id: 'gone', display_name: 'Gone' },
      { type: 'unexpected_in_target', kind: 'byId', external_id: 'new', display_name: 'New' },
    ]);
  });

  it('finds nothing when comparing an inventory with itself', () => {
    const items = [item('byId', '1', 'One', { a: [1, 2] }), item('byName', '2', 'Two', { groups: ['b', 'a'] })];
    expect(compareInventories(items, items, rules)).toEqual([]);
  });

  it('does not match the same external id across kinds', () => {
    const findings = compareInventories([item('byId', 'x', 'X')], [item('byName', 'x', 'X')], rules);
    expect(findings.map((f) => f.type)).toEqual(['missing_in_target', 'unexpected_in_target']);
  });
});

describe('matchItems', () => {
  it('matches by (kind, external id) first, then by display name for kinds that allow it', () => {
    const baseline = [item('byName', 'b-1', 'Policy A', { v: 1 }), item('byId', 'b-2', 'Policy B')];
    const current = [item('byName', 'c-1', 'Policy A', { v: 2 }), item('byId', 'c-2', 'Policy B')];
    const pairs = matchItems(baseline, current, rules);
    expect(pairs.map((p) => [p.key, p.baseline?.external_id, p.current?.external_id])).toEqual([
      ['byId/b-2', 'b-2', undefined],
      ['byId/c-2', undefined, 'c-2'],
      ['byName/b-1', 'b-1', 'c-1'],
    ]);
    // The setting_differs finding names the target's item.
    expect(findingForPair(pairs[2], rules)).toEqual({
      type: 'setting_differs',
      kind: 'byName',
      external_id: 'c-1',
      display_name: 'Policy A',
      changes: [{ path: 'v', before: 1, after: 2 }],
    });
  });

  it('prefers an id match over a display-name match', () => {
    const baseline = [item('byName', 'id-1', 'Renamed later')];
    const current = [item('byName', 'id-1', 'New name'), item('byName', 'id-9', 'Renamed later')];
    const pairs = matchItems(baseline, current, rules);
    expect(pairs.map((p) => [p.key, p.baseline?.external_id, p.current?.external_id])).toEqual([
      ['byName/id-1', 'id-1', 'id-1'],
      ['byName/id-9', undefined, 'id-9'],
    ]);
    expect(diffItem(pairs[0].baseline!, pairs[0].current!, rules)).toEqual([
      { path: 'display_name', before: 'Renamed later', after: 'New name' },
    ]);
  });

  it('does not fall back to an ambiguous display name', () => {
    const baseline = [item('byName', 'b-1', 'Dup'), item('byName', 'b-2', 'Unique')];
    const current = [item('byName', 'c-1', 'Dup'), item('byName', 'c-2', 'Dup'), item('byName', 'c-3', 'Unique')];
    const pairs = matchItems(baseline, current, rules);
    expect(pairs.map((p) => [p.key, p.baseline?.external_id ?? null, p.current?.external_id ?? null])).toEqual([
      ['byName/b-1', 'b-1', null],
      ['byName/b-2', 'b-2', 'c-3'],
      ['byName/c-1', null, 'c-1'],
      ['byName/c-2', null, 'c-2'],
    ]);
  });

  it('is sorted by key and the same for shuffled inputs', () => {
    const baseline = [item('byId', 'z', 'Z'), item('byName', 'a', 'A'), item('byId', 'm', 'M')];
    const current = [item('byName', 'q', 'A'), item('byId', 'b', 'B'), item('byId', 'z', 'Z')];
    const one = matchItems(baseline, current, rules);
    const two = matchItems([...baseline].reverse(), [...current].reverse(), rules);
    expect(one).toEqual(two);
    expect(one.map((p) => p.key)).toEqual(['byId/b', 'byId/m', 'byId/z', 'byName/a']);
  });
});

describe('findingForPair', () => {
  it('returns null for a pair without differences', () => {
    const a = item('byId', '1', 'One', { x: 1 });
    expect(findingForPair({ key: 'byId/1', baseline: a, current: item('byId', '1', 'One', { x: 1, version: 3 }) }, rules)).toBeNull();
  });
});

describe('diffItem', () => {
  const diff = (kind: string, before: Record<string, unknown>, after: Record<string, unknown>) =>
    diffItem(item(kind, '1', 'P', before), item(kind, '1', 'P', after), rules);

  it('reports every changed leaf path, sorted, with absent sides as undefined', () => {
    expect(
      diff('byId', { a: 1, b: { c: 1, d: 2 }, z: 'same', gone: true }, { a: 2, b: { c: 1, d: 3, e: 4 }, z: 'same' }),
    ).toEqual([
      { path: 'a', before: 1, after: 2 },
      { path: 'b.d', before: 2, after: 3 },
      { path: 'b.e', before: undefined, after: 4 },
      { path: 'gone', before: true, after: undefined },
    ]);
  });

  it('reports ordered arrays element by element and unordered arrays as one change', () => {
    expect(diff('byId', { list: [1, 2, 3], objs: [{ n: 1 }] }, { list: [1, 5, 3, 4], objs: [{ n: 2 }] })).toEqual([
      { path: 'list[1]', before: 2, after: 5 },
      { path: 'list[3]', before: undefined, after: 4 },
      { path: 'objs[0].n', before: 1, after: 2 },
    ]);
    expect(diff('byName', { groups: ['a', 'b'] }, { groups: ['b', 'a'] })).toEqual([]);
    expect(diff('byName', { groups: ['a', 'b'] }, { groups: ['c', 'a'] })).toEqual([
      { path: 'groups', before: ['a', 'b'], after: ['a', 'c'] },
    ]);
  });

  it('sorts array indices numerically', () => {
    const before = { list: Array.from({ length: 12 }, (_, i) => i) };
    const after = { list: before.list.map((v) => (v === 2 || v === 10 ? -v - 1 : v)) };
    expect(diff('byId', before, after).map((c) => c.path)).toEqual(['list[2]', 'list[10]']);
  });

  it('reports a type change as one change at its path', () => {
    expect(diff('byId', { a: { b: 1 } }, { a: 'flat' })).toEqual([{ path: 'a', before: { b: 1 }, after: 'flat' }]);
  });

  it('masks secrets on both sides but still reports the change', () => {
    expect(diff('wifi', { preSharedKey: 'old-secret', ssid: 'corp' }, { preSharedKey: 'new-secret', ssid: 'corp' })).toEqual([
      { path: 'preSharedKey', before: SECRET_MASK, after: SECRET_MASK },
    ]);
    expect(diff('wifi', { ssid: 'corp' }, { preSharedKey: 'added-secret', ssid: 'corp' })).toEqual([
      { path: 'preSharedKey', before: undefined, after: SECRET_MASK },
    ]);
    expect(diff('wifi', { preSharedKey: 'same' }, { preSharedKey: 'same' })).toEqual([]);
  });

  it('masks secrets below a secret path and inside reported objects and unordered arrays', () => {
    expect(diff('wifi', { proxy: { auth: { user: 'u', pass: 'p1' } } }, { proxy: { auth: { user: 'u', pass: 'p2' } } })).toEqual([
      { path: 'proxy.auth.pass', before: SECRET_MASK, after: SECRET_MASK },
    ]);
    expect(diff('wifi', {}, { proxy: { host: 'h', auth: 'token' } })).toEqual([
      { path: 'proxy', before: undefined, after: { auth: SECRET_MASK, host: 'h' } },
    ]);
    const changes = diff('wifi', { networks: [{ ssid: 'a', key: 'k1' }] }, { networks: [{ ssid: 'a', key: 'k2' }] });
    expect(changes).toEqual([
      { path: 'networks', before: [{ key: SECRET_MASK, ssid: 'a' }], after: [{ key: SECRET_MASK, ssid: 'a' }] },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/k1|k2/);
  });
});
