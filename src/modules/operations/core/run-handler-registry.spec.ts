import { DomainError } from '../../../shared/core/domain-error';
import { thrown } from '../../../../test/support/domain-errors';
import { buildDefinition } from '../../../../test/support/run-builder';
import { OperationCatalog } from './operation-catalog';
import { HandlerResult, RunHandler } from './ports/run-handler.port';
import { RunHandlerRegistry } from './run-handler-registry';

function handler(type: string): RunHandler {
  return {
    type,
    parseInput: () => ({}),
    handle: async (): Promise<HandlerResult> => ({ outcome: 'succeeded' }),
  };
}

const catalog = new OperationCatalog([
  buildDefinition({ type: 'inventory.sync', aliases: ['inventory_sync'] }),
  buildDefinition({ type: 'baseline.capture', aliases: ['baseline_capture'] }),
]);

describe('RunHandlerRegistry', () => {
  it('serves the one handler of each canonical type once all are registered', () => {
    const registry = new RunHandlerRegistry(catalog);
    const inventory = handler('inventory.sync');
    const capture = handler('baseline.capture');
    registry.registerAll([inventory, capture]);
    expect(registry.require('inventory.sync')).toBe(inventory);
    expect(registry.require('baseline.capture')).toBe(capture);
  });

  it('does not resolve aliases itself: callers resolve through the catalog first', () => {
    const registry = new RunHandlerRegistry(catalog);
    registry.registerAll([handler('inventory.sync'), handler('baseline.capture')]);
    expect(thrown(() => registry.require('inventory_sync')).code).toBe('unknown_operation_type');
  });

  it('rejects a catalog type without a handler', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() => registry.registerAll([handler('inventory.sync')]));
    expect(error.code).toBe('invalid_run_handlers');
    expect(error.kind).toBe('invalid');
    expect(error.details.problems).toEqual(['baseline.capture: no handler is registered']);
  });

  it('rejects two handlers for one type', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() =>
      registry.registerAll([handler('inventory.sync'), handler('inventory.sync'), handler('baseline.capture')]),
    );
    expect(error.details.problems).toEqual(['inventory.sync: two handlers are registered']);
  });

  it('rejects a handler registered under an alias (and reports the canonical type as unhandled)', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() => registry.registerAll([handler('inventory_sync'), handler('baseline.capture')]));
    expect(error.details.problems).toEqual([
      'inventory_sync: a handler is registered for a type that is not a canonical catalog type',
      'inventory.sync: no handler is registered',
    ]);
  });

  it('rejects a handler for a type the catalog does not know', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() =>
      registry.registerAll([handler('inventory.sync'), handler('baseline.capture'), handler('tenant.delete')]),
    );
    expect(error.details.problems).toEqual([
      'tenant.delete: a handler is registered for a type that is not a canonical catalog type',
    ]);
  });

  it('lists every problem in one error, and in the message', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() =>
      registry.registerAll([handler('inventory.sync'), handler('inventory.sync'), handler('mystery.type')]),
    );
    const problems = [
      'inventory.sync: two handlers are registered',
      'mystery.type: a handler is registered for a type that is not a canonical catalog type',
      'baseline.capture: no handler is registered',
    ];
    expect(error.details.problems).toEqual(problems);
    expect(error.message).toBe(`Run handler registration is invalid:\n - ${problems.join('\n - ')}`);
  });

  it('rejects an empty handler set against a non-empty catalog', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() => registry.registerAll([]));
    expect(error.details.problems).toEqual([
      'baseline.capture: no handler is registered',
      'inventory.sync: no handler is registered',
    ]);
  });

  it('require() before registerAll throws, even for a canonical type', () => {
    const registry = new RunHandlerRegistry(catalog);
    const error = thrown(() => registry.require('inventory.sync'));
    expect(error.code).toBe('unknown_operation_type');
    expect(error.message).toContain('"inventory.sync"');
  });

  it('serves nothing after a failed registration, not even the handlers that were valid', () => {
    const registry = new RunHandlerRegistry(catalog);
    expect(() => registry.registerAll([handler('inventory.sync')])).toThrow(DomainError);
    expect(thrown(() => registry.require('inventory.sync')).code).toBe('unknown_operation_type');
  });

  it('require() of an unknown type after registration throws unknown_operation_type', () => {
    const registry = new RunHandlerRegistry(catalog);
    registry.registerAll([handler('inventory.sync'), handler('baseline.capture')]);
    expect(thrown(() => registry.require('nope')).code).toBe('unknown_operation_type');
  });
});
