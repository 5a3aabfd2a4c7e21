import { OperationCatalog } from './operation-catalog';
import { OperationErrors } from './operations-errors';
import { RunHandler } from './ports/run-handler.port';

/**
 * Exactly one handler per catalog type, checked at boot: a type nobody can execute, or two
 * handlers racing for one type, must stop the app rather than strand runs.
 */
export class RunHandlerRegistry {
  private readonly byType = new Map<string, RunHandler>();
  private registered = false;

  constructor(private readonly catalog: OperationCatalog) {}

  /** Registers every discovered handler at once and verifies the set against the catalog. */
  registerAll(handlers: RunHandler[]): void {
    const problems: string[] = [];
    for (const handler of handlers) {
      const definition = this.catalog.resolve(handler.type);
      if (!definition || definition.type !== handler.type) {
        problems.push(`${handler.type}: a handler is registered for a type that is not a canonical catalog type`);
      } else if (this.byType.has(handler.type)) {
        problems.push(`${handler.type}: two handlers are registered`);
      } else {
        this.byType.set(handler.type, handler);
      }
    }
    for (const type of this.catalog.types()) {
      if (!this.byType.has(type)) problems.push(`${type}: no handler is registered`);
    }
    if (problems.length) {
      throw OperationErrors.invalidRunHandlers(problems);
    }
    this.registered = true;
  }

  require(type: string): RunHandler {
    const handler = this.registered ? this.byType.get(type) : undefined;
    if (!handler) throw OperationErrors.noHandler(type);
    return handler;
  }
}
