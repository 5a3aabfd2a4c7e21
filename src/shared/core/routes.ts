/**
 * Every page URL the app links to, built in one place: slugs and ids are always encoded, and the
 * hub's query keys always come in one order (so two links to the same view are the same string,
 * which tests and browser caches both rely on). Controllers' route decorators are the other half
 * of this contract; a change to a path changes here and there, nowhere else.
 */

/** The hub's query parameters, in the order they appear in a link. */
export const HUB_QUERY_KEYS = [
  'tab', 'environment', 'archived', 'type', 'status', 'outcome', 'problem_class', 'initiator', 'from', 'to', 'limit', 'cursor',
] as const;

export type HubQueryKey = (typeof HUB_QUERY_KEYS)[number];
export type HubLinkQuery = Partial<Record<HubQueryKey, string | number | null | undefined>>;

const seg = encodeURIComponent;

/** `tab=all` is the hub's default and left out; empty values are left out. */
export function hubQueryString(query: HubLinkQuery): string {
  const params = new URLSearchParams();
  for (const key of HUB_QUERY_KEYS) {
    const value = query[key];
    if (value === undefined || value === null || value === '') continue;
    if (key === 'tab' && value === 'all') continue;
    params.append(key, String(value));
  }
  return params.toString();
}

const withQuery = (path: string, qs: string) => (qs ? `${path}?${qs}` : path);

export const routes = {
  home: () => '/',
  workspace: (workspace: string) => `/w/${seg(workspace)}`,
  /** The hub; `suffix` names a sub-page of it (e.g. `/bulk`) that keeps the hub's query. */
  hub: (workspace: string, query: HubLinkQuery = {}, suffix = '') =>
    withQuery(`/w/${seg(workspace)}/operations${suffix}`, hubQueryString(query)),
  baselines: (workspace: string) => `/w/${seg(workspace)}/baselines`,
  baselineNew: (workspace: string) => `/w/${seg(workspace)}/baselines/new`,
  baseline: (workspace: string, id: string) => `/w/${seg(workspace)}/baselines/${seg(id)}`,
  /** Where a baseline's compare form posts (it forwards to the target's start route). */
  baselineCompare: (workspace: string, id: string) => `/w/${seg(workspace)}/baselines/${seg(id)}/compare`,
  baselineSnapshot: (workspace: string, id: string) => `/w/${seg(workspace)}/baselines/snapshots/${seg(id)}`,
  baselineCompareResult: (workspace: string, id: string) => `/w/${seg(workspace)}/baselines/compare-results/${seg(id)}`,
  /** A bulk action's confirmation over the hub view `query` (GET), and where it posts (POST). */
  hubBulk: (workspace: string, action: string, query: HubLinkQuery = {}) =>
    withQuery(`/w/${seg(workspace)}/operations/bulk/${seg(action)}`, hubQueryString({ ...query, limit: undefined, cursor: undefined })),
  /** "Start for several environments": the type choice, then (with `type`) that type's form. */
  fanOut: (workspace: string, type?: string) =>
    withQuery(`/w/${seg(workspace)}/operations/fan-out`, type ? `type=${seg(type)}` : ''),
  reviews: (workspace: string) => `/w/${seg(workspace)}/reviews`,
  audit: (workspace: string) => `/w/${seg(workspace)}/audit`,
  /** The workspace's members and invitations; `saved` names what just changed. POST adds or invites. */
  members: (workspace: string, saved?: 'added' | 'changed' | 'removed' | 'revoked' | null) =>
    withQuery(`/w/${seg(workspace)}/members`, saved ? `saved=${saved}` : ''),
  /** Where a member's change form posts, and the remove form. */
  member: (workspace: string, userId: string) => `/w/${seg(workspace)}/members/${seg(userId)}`,
  memberRemove: (workspace: string, userId: string) => `/w/${seg(workspace)}/members/${seg(userId)}/remove`,
  /** Where a pending invitation's revoke form posts. */
  invitationRevoke: (workspace: string, invitationId: string) => `/w/${seg(workspace)}/members/invitations/${seg(invitationId)}/revoke`,
  /** A one-time invitation link (pre-login): the invitee sets a name and password there. */
  invitation: (token: string) => `/invite/${seg(token)}`,
  /** Workspace settings: its environments (environments.manage); the create form posts here too. `saved` names what just changed. */
  environmentSettings: (workspace: string, saved?: 'created' | 'renamed' | 'archived' | 'restored' | null) =>
    withQuery(`/w/${seg(workspace)}/settings/environments`, saved ? `saved=${saved}` : ''),
  /** Where an environment's rename form posts. */
  environmentSettingsRename: (workspace: string, environment: string) => `/w/${seg(workspace)}/settings/environments/${seg(environment)}`,
  environmentSettingsArchive: (workspace: string, environment: string) =>
    `/w/${seg(workspace)}/settings/environments/${seg(environment)}/archive`,
  environmentSettingsRestore: (workspace: string, environment: string) =>
    `/w/${seg(workspace)}/settings/environments/${seg(environment)}/restore`,
  environment: (workspace: string, environment: string) => `/w/${seg(workspace)}/e/${seg(environment)}`,
  /** Where an environment's start forms post. */
  environmentOperations: (workspace: string, environment: string) =>
    `/w/${seg(workspace)}/e/${seg(environment)}/operations`,
  environmentReviews: (workspace: string, environment: string) => `/w/${seg(workspace)}/e/${seg(environment)}/reviews`,
  environmentReview: (workspace: string, environment: string, id: string) =>
    `/w/${seg(workspace)}/e/${seg(environment)}/reviews/${seg(id)}`,
  run: (id: string) => `/operations/${seg(id)}`,
  runLive: (id: string) => `/operations/${seg(id)}/live`,
  /** The run's cancel confirmation (GET) and where it posts (POST). */
  runCancel: (id: string) => `/operations/${seg(id)}/cancel`,
  /** The runs a bulk or fan-out run touched; `cursor` opens a later page. */
  runChildren: (id: string, cursor?: string | null) =>
    withQuery(`/operations/${seg(id)}/children`, cursor ? `cursor=${seg(cursor)}` : ''),
  /** Where the run page's retry form posts. */
  runRetry: (id: string) => `/operations/${seg(id)}/retry`,
  /** The signed-in user's notifications; `cursor` opens an older page. */
  notifications: (cursor?: string | null) => withQuery('/notifications', cursor ? `cursor=${seg(cursor)}` : ''),
  /** The signed-in user's account: password and personal API tokens; `saved` names what just changed. */
  account: (saved?: 'password' | 'revoked' | null) => withQuery('/account', saved ? `saved=${saved}` : ''),
  /** Where the account page's forms post. */
  accountPassword: () => '/account/password',
  accountTokens: () => '/account/tokens',
  accountTokenRevoke: (id: string) => `/account/tokens/${seg(id)}/revoke`,
  /** Sign-in, then `next` (a same-site path). */
  login: (next?: string | null) => withQuery('/login', next ? `next=${seg(next)}` : ''),
  /** The first-run setup page (GET with the printed token) and where it posts (POST). */
  setup: (token?: string | null) => withQuery('/setup', token ? `token=${seg(token)}` : ''),
  /** Where the home page's "New workspace" form posts (platform administrators). */
  workspaceCreate: () => '/workspaces',
  /** A workspace's settings page; `saved` names what just changed. */
  workspaceSettings: (workspace: string, saved?: 'renamed' | null) =>
    withQuery(`/w/${seg(workspace)}/settings`, saved ? `saved=${saved}` : ''),
  /** Where the settings page's rename form posts. */
  workspaceRename: (workspace: string) => `/w/${seg(workspace)}/settings/name`,
} as const;
