import { DomainError } from '../../../shared/core/domain-error';

/**
 * Every coded error the notifications module raises, in one place: the message is what a reader
 * of the inbox sees, so a change to it is made here, nowhere else. A notification the caller may
 * not see answers rbac's shared not_found.
 */
export const NotificationErrors = {
  /** An inbox page link whose cursor does not decode (edited, or not one this app issued). */
  invalidCursor: () => new DomainError('invalid_cursor', 'This page link is not valid: go back to the newest notifications.'),
} as const;
