import { DomainError } from '../../../shared/core/domain-error';

/**
 * Every coded error the reconciliation module raises, in one place: a change to a code or message
 * is made here, nowhere else.
 */
export const ReconciliationErrors = {
  /** Adapters registered at boot for a type that is not canonical, or two for one type. */
  invalidAdapters: (problems: string[]) =>
    new DomainError(
      'invalid_reconciliation_adapters',
      `Reconciliation adapter registration is invalid:\n - ${problems.join('\n - ')}`,
      'invalid',
      { problems },
    ),
} as const;
