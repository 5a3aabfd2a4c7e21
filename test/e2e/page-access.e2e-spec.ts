import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { signInAs } from '../support/browser-session';
import { PERSONAS, Persona } from '../support/api-personas';
import { seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The non-API routes built so far × the four demo personas (signed in through the real login
 * form) + an anonymous visitor. One row per route: add a row when a page is added.
 */
interface PageRoute {
  name: string;
  method: 'get' | 'post';
  path: string;
  expect: Record<Persona, number>;
}

const everyone = (status: number): Record<Persona, number> => ({
  owner: status,
  operator: status,
  viewer: status,
  outsider: status,
  anonymous: status,
});

/** A contoso-msp page: members get `status`, the outsider 404, no session 401 (no HTML asked for). */
const member = (status: number): Record<Persona, number> => ({ ...everyone(status), outsider: 404, anonymous: 401 });

const ROUTES: PageRoute[] = [
  // Every demo user belongs to exactly one workspace: straight into it. No session: 401 (no HTML asked for).
  { name: 'home page', method: 'get', path: '/', expect: { ...everyone(303), anonymous: 401 } },
  { name: 'stylesheet', method: 'get', path: '/assets/app.css', expect: everyone(200) },
  { name: 'unknown asset', method: 'get', path: '/assets/nothing.css', expect: everyone(404) },
  // Already signed in: sent on to the app instead of a second sign-in form.
  { name: 'login page', method: 'get', path: '/login', expect: { ...everyone(303), anonymous: 200 } },
  // No CSRF token: refused for a session; without a session there is nothing to forge.
  { name: 'logout without CSRF', method: 'post', path: '/logout', expect: { ...everyone(403), anonymous: 303 } },
  { name: 'liveness', method: 'get', path: '/health/live', expect: everyone(200) },
  { name: 'API docs', method: 'get', path: '/api/docs-json', expect: everyone(200) },
  { name: 'workspace overview', method: 'get', path: '/w/contoso-msp', expect: member(200) },
  { name: 'environment dashboard', method: 'get', path: '/w/contoso-msp/e/contoso-hq', expect: member(200) },
  { name: 'hidden environment dashboard', method: 'get', path: '/w/contoso-msp/e/northwind', expect: { ...member(200), operator: 404 } },
  { name: 'environment live fragment', method: 'get', path: '/w/contoso-msp/e/contoso-hq/live', expect: member(200) },
  { name: 'hidden environment live fragment', method: 'get', path: '/w/contoso-msp/e/northwind/live', expect: { ...member(200), operator: 404 } },
  { name: 'unknown environment dashboard', method: 'get', path: '/w/contoso-msp/e/no-such-env', expect: member(404) },
  { name: 'operations hub', method: 'get', path: '/w/contoso-msp/operations', expect: member(200) },
  { name: 'operations hub live', method: 'get', path: '/w/contoso-msp/operations/live', expect: member(200) },
  {
    name: 'operations hub, hidden environment',
    method: 'get',
    path: '/w/contoso-msp/operations?tab=active_stale_attention&environment=northwind',
    expect: { ...member(200), operator: 404 },
  },
  { name: 'operations hub, bad filter', method: 'get', path: '/w/contoso-msp/operations?status=bogus', expect: member(400) },
  { name: 'unknown run page', method: 'get', path: '/operations/00000000-0000-4000-8000-000000000000', expect: member(404) },
  { name: 'malformed run live', method: 'get', path: '/operations/not-a-uuid/live', expect: member(404) },
  { name: 'unknown run cancel confirmation', method: 'get', path: '/operations/00000000-0000-4000-8000-000000000000/cancel', expect: member(404) },
  { name: 'retry a run without CSRF', method: 'post', path: '/operations/00000000-0000-4000-8000-000000000000/retry', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'cancel a run without CSRF', method: 'post', path: '/operations/00000000-0000-4000-8000-000000000000/cancel', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'baselines list', method: 'get', path: '/w/contoso-msp/baselines', expect: member(200) },
  { name: 'new baseline form', method: 'get', path: '/w/contoso-msp/baselines/new', expect: { ...member(403), owner: 200 } },
  { name: 'create baseline without CSRF', method: 'post', path: '/w/contoso-msp/baselines', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'unknown baseline', method: 'get', path: '/w/contoso-msp/baselines/00000000-0000-4000-8000-000000000000', expect: member(404) },
  { name: 'unknown baseline edit form', method: 'get', path: '/w/contoso-msp/baselines/00000000-0000-4000-8000-000000000000/edit', expect: member(404) },
  { name: 'unknown snapshot', method: 'get', path: '/w/contoso-msp/baselines/snapshots/00000000-0000-4000-8000-000000000000', expect: member(404) },
  { name: 'unknown compare result', method: 'get', path: '/w/contoso-msp/baselines/compare-results/00000000-0000-4000-8000-000000000000', expect: member(404) },
  { name: 'reviews', method: 'get', path: '/w/contoso-msp/reviews', expect: member(200) },
  { name: 'environment reviews', method: 'get', path: '/w/contoso-msp/e/fabrikam/reviews', expect: member(200) },
  { name: 'hidden environment reviews', method: 'get', path: '/w/contoso-msp/e/northwind/reviews', expect: { ...member(200), operator: 404 } },
  { name: 'unknown review', method: 'get', path: '/w/contoso-msp/e/fabrikam/reviews/00000000-0000-4000-8000-000000000000', expect: member(404) },
  { name: 'unknown review markdown', method: 'get', path: '/w/contoso-msp/e/fabrikam/reviews/00000000-0000-4000-8000-000000000000.md', expect: member(404) },
  { name: 'notifications', method: 'get', path: '/notifications', expect: { ...everyone(200), anonymous: 401 } },
  // Workspace settings: environments.manage (owner, manager); its forms need the session's CSRF token.
  { name: 'environment settings', method: 'get', path: '/w/contoso-msp/settings/environments', expect: { ...member(403), owner: 200 } },
  { name: 'environment settings, saved flash', method: 'get', path: '/w/contoso-msp/settings/environments?saved=archived', expect: { ...member(403), owner: 200 } },
  { name: 'unknown workspace settings', method: 'get', path: '/w/no-such-msp/settings/environments', expect: { ...everyone(404), anonymous: 401 } },
  { name: 'create an environment without CSRF', method: 'post', path: '/w/contoso-msp/settings/environments', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'rename an environment without CSRF', method: 'post', path: '/w/contoso-msp/settings/environments/contoso-hq', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'archive an environment without CSRF', method: 'post', path: '/w/contoso-msp/settings/environments/contoso-hq/archive', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'restore an environment without CSRF', method: 'post', path: '/w/contoso-msp/settings/environments/contoso-hq/restore', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'mark all read without CSRF', method: 'post', path: '/notifications/read', expect: { ...everyone(403), anonymous: 401 } },
  // Your account: every signed-in user has one; its forms need the session's CSRF token.
  { name: 'account page', method: 'get', path: '/account', expect: { ...everyone(200), anonymous: 401 } },
  { name: 'change password without CSRF', method: 'post', path: '/account/password', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'create a token without CSRF', method: 'post', path: '/account/tokens', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'revoke a token without CSRF', method: 'post', path: '/account/tokens/00000000-0000-4000-8000-000000000000/revoke', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'audit log', method: 'get', path: '/w/contoso-msp/audit', expect: { ...member(403), owner: 200 } },
  // Members (members.manage: owners); the invitation page is reached before sign-in.
  { name: 'members page', method: 'get', path: '/w/contoso-msp/members', expect: { ...member(403), owner: 200 } },
  { name: 'members page of another workspace', method: 'get', path: '/w/tailspin-msp/members', expect: { ...member(404), outsider: 200 } },
  { name: 'invite a member without CSRF', method: 'post', path: '/w/contoso-msp/members', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'change a member without CSRF', method: 'post', path: '/w/contoso-msp/members/00000000-0000-4000-8000-000000000000', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'remove a member without CSRF', method: 'post', path: '/w/contoso-msp/members/00000000-0000-4000-8000-000000000000/remove', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'revoke an invitation without CSRF', method: 'post', path: '/w/contoso-msp/members/invitations/00000000-0000-4000-8000-000000000000/revoke', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'unknown invitation link', method: 'get', path: `/invite/${'A'.repeat(43)}`, expect: everyone(404) },
  { name: 'accept an unknown invitation', method: 'post', path: `/invite/${'A'.repeat(43)}`, expect: everyone(404) },
  // Workspaces: settings (the rename form) need workspace.manage (owners); creating one is a platform
  // administrator's form (no demo user is one). First-run setup is gone once users exist: 404.
  { name: 'workspace settings', method: 'get', path: '/w/contoso-msp/settings', expect: { ...member(403), owner: 200 } },
  { name: 'other workspace settings', method: 'get', path: '/w/tailspin-msp/settings', expect: { ...everyone(404), outsider: 200, anonymous: 401 } },
  { name: 'rename workspace without CSRF', method: 'post', path: '/w/contoso-msp/settings/name', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'new workspace without CSRF', method: 'post', path: '/workspaces', expect: { ...everyone(403), anonymous: 401 } },
  { name: 'setup page once users exist', method: 'get', path: '/setup?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', expect: everyone(404) },
  { name: 'setup form once users exist', method: 'post', path: '/setup', expect: everyone(404) },
  { name: 'unknown page', method: 'get', path: '/w/contoso-msp/nothing-here', expect: everyone(404) },
];

describe('page routes × personas', () => {
  let t: TestApp;
  const sessions = {} as Record<Persona, string | null>;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    const scope = await seedDemoScope(t);
    for (const persona of PERSONAS) {
      sessions[persona] =
        persona === 'anonymous' ? null : await signInAs(t, DEMO_USERS.find((u) => u.key === persona)!.email, scope.password);
    }
  });
  afterAll(() => t?.close());

  const cells = ROUTES.flatMap((route) => PERSONAS.map((persona) => [route.name, persona, route] as const));

  it.each(cells)('%s as %s', async (_name, persona, route) => {
    const req = request(t.app.getHttpServer())[route.method](route.path);
    const session = sessions[persona];
    const res = await (session ? req.set('Cookie', session) : req);
    expect(res.status).toBe(route.expect[persona]);
    expect(res.text).not.toMatch(/at [\w.<>]+ \(.*:\d+:\d+\)/); // never a stack trace
  });
});
