import { thrown } from '../../../../test/support/domain-errors';
import { buildDefinition } from '../../../../test/support/run-builder';
import { findCatalogConflicts, OperationCatalog } from './operation-catalog';
import { OperationTypeDefinition } from './operation-type';

function def(type: string, aliases: string[] = []): OperationTypeDefinition {
  return buildDefinition({ type, label: type, capability: type, progress_mode: 'activity', aliases });
}

describe('OperationCatalog', () => {
  const catalog = new OperationCatalog([
    def('inventory.sync', ['inventory_sync']),
    def('baseline.capture', ['baseline_capture']),
  ]);

  it('resolves canonical names and legacy aliases to the same canonical definition', () => {
    const canonical = catalog.resolve('inventory.sync');
    expect(canonical?.type).toBe('inventory.sync');
    expect(catalog.resolve('inventory_sync')).toBe(canonical);
    expect(catalog.resolve('baseline_capture')?.type).toBe('baseline.capture');
  });

  it('returns null for unknown names, including near misses', () => {
    expect(catalog.resolve('inventory.synk')).toBeNull();
    expect(catalog.resolve('INVENTORY.SYNC')).toBeNull();
    expect(catalog.resolve('')).toBeNull();
  });

  it('require() returns the canonical definition for an alias', () => {
    expect(catalog.require('inventory_sync').type).toBe('inventory.sync');
  });

  it('require() rejects an unknown type with a coded invalid error listing sorted canonical types', () => {
    const e = thrown(() => catalog.require('policy.sync'));
    expect(e.code).toBe('unknown_operation_type');
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe('Unknown operation type "policy.sync". Known types: baseline.capture, inventory.sync.');
  });

  it('require() message with the shipped single type', () => {
    const single = new OperationCatalog([def('inventory.sync', ['inventory_sync'])]);
    expect(thrown(() => single.require('x')).message).toBe(
      'Unknown operation type "x". Known types: inventory.sync.',
    );
  });

  it('lists canonical types sorted, never aliases', () => {
    expect(catalog.types()).toEqual(['baseline.capture', 'inventory.sync']);
    expect(catalog.definitions().map((d) => d.type)).toEqual(['baseline.capture', 'inventory.sync']);
  });

  it('names every stored form of a type and maps each to its canonical type', () => {
    expect(catalog.storedNames('inventory.sync')).toEqual(['inventory.sync', 'inventory_sync']);
    expect(catalog.storedNames('inventory_sync')).toEqual(['inventory.sync', 'inventory_sync']);
    expect(thrown(() => catalog.storedNames('policy.sync')).code).toBe('unknown_operation_type');
    expect(catalog.canonicalByStoredName()).toEqual({
      'baseline.capture': 'baseline.capture',
      baseline_capture: 'baseline.capture',
      'inventory.sync': 'inventory.sync',
      inventory_sync: 'inventory.sync',
    });
  });

  it('definitions() returns a copy that cannot alter the catalog', () => {
    catalog.definitions().pop();
    expect(catalog.types()).toHaveLength(2);
  });

  it.each([
    ['a type declared twice', [def('inventory.sync'), def('inventory.sync')], 'inventory.sync: type is declared twice'],
    [
      'an alias declared by two types',
      [def('inventory.sync', ['sync']), def('baseline.capture', ['sync'])],
      'baseline.capture: alias "sync" is already declared by inventory.sync',
    ],
    [
      'an alias equal to another canonical type',
      [def('inventory.sync', ['baseline.capture']), def('baseline.capture')],
      'inventory.sync: alias "baseline.capture" is already a canonical type',
    ],
    [
      'an alias repeated within one type',
      [def('inventory.sync', ['inventory_sync', 'inventory_sync'])],
      'inventory.sync: alias "inventory_sync" is already declared by inventory.sync',
    ],
    ['an alias equal to its own type', [def('inventory.sync', ['inventory.sync'])], 'inventory.sync: alias "inventory.sync" repeats the type itself'],
  ])('constructor rejects %s', (_name, defs, problem) => {
    expect(findCatalogConflicts(defs)).toEqual([problem]);
    const e = thrown(() => new OperationCatalog(defs));
    expect(e.code).toBe('invalid_operation_catalog');
    expect(e.message).toContain(problem);
    expect(e.details).toEqual({ problems: [problem] });
  });

  it('accepts distinct types and aliases without conflicts', () => {
    expect(findCatalogConflicts([def('a.b', ['a_b']), def('c.d', ['c_d'])])).toEqual([]);
  });
});
