import { INestApplicationContext } from '@nestjs/common';
import { PublicUrls } from '../../../../shared/adapters/http/public-urls';
import { routes } from '../../../../shared/core/routes';
import { IssueSetupToken } from '../../application/issue-setup-token.use-case';

/**
 * The one boot log line of a database without users: a one-time setup link under PUBLIC_URL, or
 * else `listeningUrl` (a new token at each such boot; the previous link stops working). Null once
 * any user exists.
 */
export async function firstRunAnnouncement(app: INestApplicationContext, listeningUrl: string): Promise<string | null> {
  const token = await app.get(IssueSetupToken).execute();
  if (!token) return null;
  return `No users yet: open ${app.get(PublicUrls).of(routes.setup(token), listeningUrl)} to create the first administrator and workspace (works once; a restart replaces the link).`;
}
