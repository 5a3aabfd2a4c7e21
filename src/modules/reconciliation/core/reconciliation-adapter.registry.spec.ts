import { buildDefinition } from '../../../../test/support/run-builder';
import { DomainError } from '../../../shared/core/domain-error';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { ReconciliationAdapterRegistry } from './reconciliation-adapter.registry';
import { AdapterDecision, ReconciliationAdapter } from './ports/reconciliation-adapter.port';

const catalog = new OperationCatalog([
  buildDefinition({ type: 'inventory.sync', aliases: ['inventory_sync'] }),
  buildDefinition({ type: 'baseline.capture', aliases: ['baseline_capture'], module: 'baselines' }),
  buildDefinition({ type: 'baseline.compare', aliases: [] }),
]);

function adapter(type: string, name: string): ReconciliationAdapter {
  return {
    type,
    name,
    decide: async (): Promise<AdapterDecision> => ({ decision: 'defer', reason: name }),
  };
}

function registrationError(adapters: ReconciliationAdapter[]): DomainError {
  const registry = new ReconciliationAdapterRegistry(catalog);
  try {
    registry.registerAll(adapters);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected registerAll to throw');
}

describe('ReconciliationAdapterRegistry', () => {
  it('registers one adapter per canonical type and finds it by type or alias', () => {
    const capture = adapter('baseline.capture', 'capture');
    const inventory = adapter('inventory.sync', 'inventory');
    const registry = new ReconciliationAdapterRegistry(catalog);
    registry.registerAll([capture, inventory]);

    expect(registry.forType('baseline.capture')).toBe(capture);
    expect(registry.forType('baseline_capture')).toBe(capture);
    expect(registry.forType('inventory.sync')).toBe(inventory);
    expect(registry.forType('inventory_sync')).toBe(inventory);
  });

  it('has no adapter for a catalog type nobody registered, nor for an unknown type', () => {
    const registry = new ReconciliationAdapterRegistry(catalog);
    registry.registerAll([adapter('baseline.capture', 'capture')]);
    expect(registry.forType('baseline.compare')).toBeUndefined();
    expect(registry.forType('inventory_sync')).toBeUndefined();
    expect(registry.forType('legacy.unknown')).toBeUndefined();
  });

  it('an empty registration is valid: every type gets the generic force-fail', () => {
    const registry = new ReconciliationAdapterRegistry(catalog);
    expect(() => registry.registerAll([])).not.toThrow();
    expect(registry.forType('inventory.sync')).toBeUndefined();
  });

  it('rejects two adapters for one type, naming both', () => {
    const error = registrationError([adapter('inventory.sync', 'first'), adapter('inventory.sync', 'second')]);
    expect(error.code).toBe('invalid_reconciliation_adapters');
    expect(error.kind).toBe('invalid');
    expect(error.details).toEqual({ problems: ['inventory.sync: two reconciliation adapters (first, second)'] });
    expect(error.message).toBe(
      'Reconciliation adapter registration is invalid:\n - inventory.sync: two reconciliation adapters (first, second)',
    );
  });

  it('rejects an adapter declared for an alias instead of the canonical type', () => {
    const error = registrationError([adapter('inventory_sync', 'legacy-name')]);
    expect(error.details.problems).toEqual([
      'legacy-name: adapter for "inventory_sync", which is not a canonical catalog type',
    ]);
  });

  it('rejects an adapter for a type the catalog does not know', () => {
    const error = registrationError([adapter('tenant.purge', 'purger')]);
    expect(error.details.problems).toEqual(['purger: adapter for "tenant.purge", which is not a canonical catalog type']);
  });

  it('lists every problem at once, in registration order', () => {
    const error = registrationError([
      adapter('tenant.purge', 'purger'),
      adapter('baseline.capture', 'capture-a'),
      adapter('baseline_capture', 'capture-alias'),
      adapter('baseline.capture', 'capture-b'),
      adapter('baseline.compare', 'compare'),
    ]);
    const problems = [
      'purger: adapter for "tenant.purge", which is not a canonical catalog type',
      'capture-alias: adapter for "baseline_capture", which is not a canonical catalog type',
      'baseline.capture: two reconciliation adapters (capture-a, capture-b)',
    ];
    expect(error.details.problems).toEqual(problems);
    expect(error.message).toBe(`Reconciliation adapter registration is invalid:\n - ${problems.join('\n - ')}`);
  });
});
