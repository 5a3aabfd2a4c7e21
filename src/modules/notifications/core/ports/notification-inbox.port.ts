import { AccessContext } from '../../../rbac/core/access-context';
import { UnreadCountSource } from '../../../web/core/ports/unread-count.port';
import { NotificationDraft } from '../notification-rules';

export const NOTIFICATION_INBOX = Symbol('NOTIFICATION_INBOX');

/** What the page shell needs of a user's in-app notifications: the bell's unread count. */
export type NotificationBadgeSource = UnreadCountSource;

/** One stored in-app notification. */
export interface StoredNotification {
  id: string;
  userId: string;
  runId: string;
  workspaceId: string;
  environmentId: string | null;
  title: string;
  body: string;
  tone: string;
  createdAt: Date;
  readAt: Date | null;
}

/** Position after the last notification of a page (keyset on `created_at desc, id desc`). */
export interface NotificationCursor {
  createdAt: Date;
  id: string;
}

export interface NotificationPage {
  items: StoredNotification[];
  /** Null on the last page. */
  nextCursor: NotificationCursor | null;
}

/**
 * The in-app inbox. Reads re-check scope on every call: only notifications whose workspace and
 * environment the user may still see are listed or counted (a shrunken membership hides the rest).
 */
export interface NotificationInbox extends NotificationBadgeSource {
  /** Stores drafts; a second draft for the same user and run is ignored (never notified twice). */
  record(drafts: NotificationDraft[]): Promise<void>;
  list(reader: AccessContext, opts: { cursor?: NotificationCursor; limit: number }): Promise<NotificationPage>;
  markAllRead(userId: string): Promise<number>;
  /** False when the notification is unknown, someone else's, or hidden from the user now. */
  markRead(reader: AccessContext, id: string): Promise<boolean>;
}
