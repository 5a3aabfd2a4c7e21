import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { decodeNotificationCursor, encodeNotificationCursor } from '../core/notification-cursor';
import { NotificationErrors } from '../core/notifications-errors';
import { runLink } from '../core/notification-rules';
import { NOTIFICATION_INBOX, NotificationInbox } from '../core/ports/notification-inbox.port';

export const NOTIFICATIONS_PAGE_SIZE = 25;

/** One notification as the inbox shows it. */
export interface NotificationItem {
  id: string;
  title: string;
  body: string;
  tone: string;
  created_at: string;
  unread: boolean;
  href: string;
}

export interface NotificationListPage {
  items: NotificationItem[];
  /** The opaque cursor of the next (older) page; null on the last page. */
  olderCursor: string | null;
  isFirstPage: boolean;
}

/** The caller's run notifications, newest first; the inbox re-checks scope on every read. */
@Injectable()
export class ListNotifications {
  constructor(@Inject(NOTIFICATION_INBOX) private readonly inbox: NotificationInbox) {}

  async execute(caller: AccessContext, rawCursor: unknown): Promise<NotificationListPage> {
    const cursor = rawCursor === undefined ? undefined : decodeNotificationCursor(rawCursor);
    if (cursor === null) throw NotificationErrors.invalidCursor();
    const page = await this.inbox.list(caller, { cursor, limit: NOTIFICATIONS_PAGE_SIZE });
    return {
      items: page.items.map((n) => ({
        id: n.id,
        title: n.title,
        body: n.body,
        tone: n.tone,
        created_at: n.createdAt.toISOString(),
        unread: n.readAt === null,
        href: runLink(n.runId),
      })),
      olderCursor: page.nextCursor ? encodeNotificationCursor(page.nextCursor) : null,
      isFirstPage: !cursor,
    };
  }
}
