import { RunFilterParams } from '../../operations/application/run-filter';
import { BulkFilter } from '../core/bulk-input';

/** A stored bulk filter passed parseBulkFilter, which holds it to the hub's value rules. */
export function asRunFilter(filter: BulkFilter): RunFilterParams {
  return filter as RunFilterParams;
}
