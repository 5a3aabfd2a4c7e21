/** Raw catalog JSON to use instead of config/operation-catalog.json (tests, benchmarks). */
export const OPERATION_CATALOG_SOURCE = Symbol('OPERATION_CATALOG_SOURCE');
