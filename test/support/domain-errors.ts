import { DomainError } from '../../src/shared/core/domain-error';

/** The DomainError `fn` throws; any other error is rethrown, and not throwing at all fails the test. */
export function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
