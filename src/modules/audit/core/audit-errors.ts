import { DomainError } from '../../../shared/core/domain-error';

/**
 * Every coded error the audit module raises, in one place: codes and messages are part of the
 * API's answers (and tests hold them), so a change to one is a change here, nowhere else.
 */
export const AuditErrors = {
  /** A cursor that does not decode: not one this API issued. */
  invalidCursor: () =>
    new DomainError('invalid_cursor', 'cursor is not valid: pass the next_cursor of a previous page unchanged.'),
  /** A cursor that decodes but names no event the reader may see (another scope, or forged). */
  cursorOutOfScope: () => new DomainError('invalid_cursor', 'The cursor is not valid.', 'invalid'),
  invalidRange: () => new DomainError('invalid_range', 'from must not be later than to.'),
} as const;
