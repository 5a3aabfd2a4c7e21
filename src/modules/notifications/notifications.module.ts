import { Global, Module } from '@nestjs/common';
import { ListNotifications } from './application/list-notifications.query';
import { MarkNotificationsRead } from './application/mark-notifications-read.use-case';
import { NotificationsPagesController } from './adapters/http/notifications-pages.controller';
import { NotificationRunObserver } from './adapters/notification-run-observer';
import { MikroOrmNotificationInbox } from './adapters/persistence/mikro-orm-notification-inbox';
import { NOTIFICATION_INBOX } from './core/ports/notification-inbox.port';
import { SHELL_UNREAD_COUNT } from '../web/core/ports/unread-count.port';

/**
 * In-app notifications (SPEC 7). Global: the page shell reads the bell's count through
 * NOTIFICATION_INBOX and the operations module adds NotificationRunObserver to its run observers.
 */
@Global()
@Module({
  controllers: [NotificationsPagesController],
  providers: [
    MikroOrmNotificationInbox,
    { provide: NOTIFICATION_INBOX, useExisting: MikroOrmNotificationInbox },
    { provide: SHELL_UNREAD_COUNT, useExisting: MikroOrmNotificationInbox },
    NotificationRunObserver,
    ListNotifications,
    MarkNotificationsRead,
  ],
  exports: [NOTIFICATION_INBOX, SHELL_UNREAD_COUNT, NotificationRunObserver],
})
export class NotificationsModule {}
