import { Inject, Injectable, Optional } from '@nestjs/common';
import { WorkspaceAccess } from '../../rbac/core/access-control';
import { CAPABILITIES, Capability } from '../../rbac/core/capabilities';
import { AccessContext } from '../../rbac/core/access-context';
import { ListMemberWorkspaces } from '../../rbac/application/list-member-workspaces.query';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../rbac/core/ports/environment-listing.port';
import { SHELL_UNREAD_COUNT, UnreadCountSource } from '../core/ports/unread-count.port';
import { routes } from '../../../shared/core/routes';

export type ShellSection = 'overview' | 'operations' | 'baselines' | 'reviews' | 'audit' | 'notifications' | 'home' | 'account' | 'members' | 'settings' | 'environments';

export interface ShellNavItem {
  label: string;
  href: string;
  current: boolean;
}

/** The layout's model (views/layouts/main.hbs): who is signed in and where they may go. */
export interface PageShell {
  user: { displayName: string; email: string } | null;
  csrfToken: string | null;
  workspaces: { slug: string; name: string; current: boolean }[];
  workspace: { slug: string; name: string } | null;
  environments: { slug: string; name: string; current: boolean }[];
  nav: ShellNavItem[];
  unreadNotifications: number;
  /** The header's link to the signed-in user's account page. */
  account: ShellNavItem;
}

/** The caller, with the CSRF token of their session (null for a token-authenticated request). */
export type PageCaller = AccessContext & { readonly sessionCsrf: string | null };

export interface ShellOptions {
  /** The workspace the page belongs to, already resolved under deny-as-not-found. */
  workspace?: WorkspaceAccess;
  environmentSlug?: string;
  section?: ShellSection;
}

/**
 * Builds the navigation every signed-in page shares. Only member workspaces and entitled
 * environments appear; the audit link only with `audit.view` in the workspace, the members link only with `members.manage`.
 */
@Injectable()
export class GetPageShell {
  constructor(
    @Inject(ListMemberWorkspaces) private readonly memberWorkspaces: ListMemberWorkspaces,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Optional() @Inject(SHELL_UNREAD_COUNT) private readonly notifications: UnreadCountSource | null,
  ) {}

  async execute(principal: PageCaller, opts: ShellOptions = {}): Promise<PageShell> {
    const ws = opts.workspace;
    const [workspaces, environments, unread] = await Promise.all([
      this.memberWorkspaces.execute(principal),
      ws ? this.environments.listEnvironments(ws.workspace.id, ws.scope) : Promise.resolve([]),
      this.notifications ? this.notifications.unreadCount(principal) : Promise.resolve(0),
    ]);
    return {
      user: { displayName: principal.displayName, email: principal.email },
      csrfToken: principal.sessionCsrf,
      workspaces: workspaces.map((w) => ({ slug: w.slug, name: w.name, current: w.id === ws?.workspace.id })),
      workspace: ws ? { slug: ws.workspace.slug, name: ws.workspace.name } : null,
      environments: environments.map((e) => ({ slug: e.slug, name: e.displayName, current: e.slug === opts.environmentSlug })),
      nav: ws ? navFor(ws, opts.section) : [],
      unreadNotifications: unread,
      account: { label: 'Account', href: routes.account(), current: opts.section === 'account' },
    };
  }
}

function navFor(ws: WorkspaceAccess, section: ShellSection | undefined): ShellNavItem[] {
  const slug = ws.workspace.slug;
  const can = (capability: Capability) => ws.capabilities.includes(capability);
  const items: (ShellNavItem & { show: boolean })[] = [
    { label: 'Overview', href: routes.workspace(slug), current: section === 'overview', show: true },
    { label: 'Operations', href: routes.hub(slug), current: section === 'operations', show: can(CAPABILITIES.OPERATIONS_VIEW) },
    { label: 'Baselines', href: routes.baselines(slug), current: section === 'baselines', show: true },
    { label: 'Reviews', href: routes.reviews(slug), current: section === 'reviews', show: true },
    { label: 'Audit log', href: routes.audit(slug), current: section === 'audit', show: can(CAPABILITIES.AUDIT_VIEW) },
    { label: 'Members', href: routes.members(slug), current: section === 'members', show: can(CAPABILITIES.MEMBERS_MANAGE) },
    { label: 'Settings', href: routes.workspaceSettings(slug), current: section === 'settings', show: can(CAPABILITIES.WORKSPACE_MANAGE) },
    {
      label: 'Environments',
      href: routes.environmentSettings(slug),
      current: section === 'environments',
      show: can(CAPABILITIES.ENVIRONMENTS_MANAGE),
    },
  ];
  return items.filter((i) => i.show).map(({ show: _show, ...item }) => item);
}
