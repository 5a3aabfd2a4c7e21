import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { NOTIFICATION_INBOX, NotificationInbox } from '../core/ports/notification-inbox.port';

/** Marking the caller's own notifications read: one, or all of them. */
@Injectable()
export class MarkNotificationsRead {
  constructor(@Inject(NOTIFICATION_INBOX) private readonly inbox: NotificationInbox) {}

  async all(caller: AccessContext): Promise<void> {
    await this.inbox.markAllRead(caller.userId);
  }

  /** Someone else's or an unknown notification: the same 404. */
  async one(caller: AccessContext, id: string): Promise<void> {
    if (!(await this.inbox.markRead(caller, id))) throw RbacErrors.notFound();
  }
}
