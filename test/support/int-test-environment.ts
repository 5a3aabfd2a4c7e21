import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';

/** The key under which every test file of a worker finds WORKER_SHARED on its global object. */
export const WORKER_SHARED_KEY = Symbol.for('opsdeck.test.worker-shared');

/**
 * Jest gives every test file a fresh global object and module registry, so a module-level cache
 * lives for one file. This environment module is loaded once per worker: the one map it hands to
 * every file's global lets costly test fixtures (the compiled OpenAPI contract) be built once per
 * worker process instead of once per file.
 */
const WORKER_SHARED = new Map<string, unknown>();

export default class IntTestEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    (this.global as unknown as Record<symbol, unknown>)[WORKER_SHARED_KEY] = WORKER_SHARED;
  }
}
