import { Global, Module } from '@nestjs/common';
import { ListNotifications } from './application/list-notifications.query';
import { MarkNotificationsRead } from './application/mark-notifications-read.use-case';
import { NotificationsPagesController } from './adapters/http/notifications-pages.controller';
import { NotificationRunObserver } from './adapters/notification-run-observer';
import { MikroOrmNotificationInbox } from './adapters/persistence/mikro-orm-notification-inbox';
import { NOTIFICATION_INBOX } from './core/ports/notification-inbox.port';
import { SHELL_UNREAD_COUNT } from '../web/core/ports/unread-count.port';
import { OperationsModule } from '../operations/operations.module';

/**
 * In-app notifications (SPEC 7). Global: the page shell reads the bell's count through
 * NOTIFICATION_INBOX. NotificationRunObserver registers itself as a run observer (operations
 * discovers it), so notifications depend on operations and never the other way round.
 */
@Global()
@Module({
  imports: [OperationsModule],
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
