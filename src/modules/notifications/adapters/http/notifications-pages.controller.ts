import { Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendPage } from '../../../web/adapters/http/send-page';
import { ListNotifications } from '../../application/list-notifications.query';
import { MarkNotificationsRead } from '../../application/mark-notifications-read.use-case';
import { routes } from '../../../../shared/core/routes';

/** `/notifications`: the signed-in user's run notifications, newest first, and marking them read. */
@Controller('notifications')
@Authenticated()
export class NotificationsPagesController {
  constructor(
    @Inject(ListNotifications) private readonly listNotifications: ListNotifications,
    @Inject(MarkNotificationsRead) private readonly markNotificationsRead: MarkNotificationsRead,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async list(@CurrentAccess() caller: RequestAccess, @Query('cursor') rawCursor: unknown, @Res() res: Response): Promise<void> {
    const [page, shell] = await Promise.all([
      this.listNotifications.execute(caller, rawCursor),
      this.shell.execute(caller, { section: 'notifications' }),
    ]);
    sendPage(
      res,
      this.views.render('notifications/list', {
        title: 'Notifications',
        shell,
        notifications: page.items,
        older: page.olderCursor ? routes.notifications(page.olderCursor) : null,
        isFirstPage: page.isFirstPage,
        unread: shell.unreadNotifications,
      }),
    );
  }

  @Post('read')
  async markAllRead(@CurrentAccess() caller: RequestAccess, @Res() res: Response): Promise<void> {
    await this.markNotificationsRead.all(caller);
    res.redirect(303, routes.notifications());
  }

  @Post(':id/read')
  async markRead(@CurrentAccess() caller: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.markNotificationsRead.one(caller, id);
    res.redirect(303, routes.notifications());
  }
}
