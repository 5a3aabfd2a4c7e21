import { Controller, Get, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal } from '../../../../shared/adapters/auth/current-principal.decorator';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { SessionAuthGuard } from '../../../../shared/adapters/auth/session-auth.guard';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { DomainError } from '../../../../shared/core/domain-error';
import { notFoundError } from '../../../rbac/core/access-control';
import { PageShellService } from '../../../web/adapters/http/page-shell.service';
import { sendPage } from '../../../web/adapters/http/send-page';
import { decodeNotificationCursor, encodeNotificationCursor } from '../../core/notification-cursor';
import { runLink } from '../../core/notification-rules';
import { NOTIFICATION_INBOX, NotificationInbox } from '../../core/ports/notification-inbox.port';

const PAGE_SIZE = 25;

/** `/notifications`: the signed-in user's run notifications, newest first, and marking them read. */
@Controller('notifications')
@UseGuards(SessionAuthGuard)
export class NotificationsPagesController {
  constructor(
    @Inject(NOTIFICATION_INBOX) private readonly inbox: NotificationInbox,
    @Inject(PageShellService) private readonly shell: PageShellService,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('cursor') rawCursor: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const cursor = rawCursor === undefined ? undefined : decodeNotificationCursor(rawCursor);
    if (cursor === null) throw new DomainError('invalid_cursor', 'This page link is not valid: go back to the newest notifications.');
    const [page, shell] = await Promise.all([
      this.inbox.list(principal.userId, { cursor, limit: PAGE_SIZE }),
      this.shell.build(principal, { section: 'notifications' }),
    ]);
    const notifications = page.items.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      tone: n.tone,
      created_at: n.createdAt.toISOString(),
      unread: n.readAt === null,
      href: runLink(n.runId),
    }));
    const older = page.nextCursor ? `/notifications?cursor=${encodeNotificationCursor(page.nextCursor)}` : null;
    sendPage(
      res,
      this.views.render('notifications/list', {
        title: 'Notifications',
        shell,
        notifications,
        older,
        isFirstPage: !cursor,
        unread: shell.unreadNotifications,
      }),
    );
  }

  @Post('read')
  async markAllRead(@CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    await this.inbox.markAllRead(principal.userId);
    res.redirect(303, '/notifications');
  }

  @Post(':id/read')
  async markRead(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    if (!(await this.inbox.markRead(principal.userId, id))) throw notFoundError();
    res.redirect(303, '/notifications');
  }
}
