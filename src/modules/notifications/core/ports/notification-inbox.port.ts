export const NOTIFICATION_INBOX = Symbol('NOTIFICATION_INBOX');

/** What the page shell needs of a user's in-app notifications: the bell's unread count. */
export interface NotificationBadgeSource {
  unreadCount(userId: string): Promise<number>;
}
