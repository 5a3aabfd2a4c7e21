import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiPersonas, issueDemoTokens, NOT_FOUND_BODY, Persona, PERSONAS } from '../support/api-personas';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every JSON API route × the four demo personas + an anonymous caller. One row per route: a new
 * route is covered by adding a row. Hidden resources answer exactly like missing ones.
 *
 * owner: owner of contoso-msp · operator: operator of contoso-msp limited to contoso-hq + fabrikam
 * viewer: readonly of contoso-msp · outsider: owner of tailspin-msp only
 */

type Expected = number | readonly number[];
const STARTED = [200, 202] as const; // created, or the active duplicate returned

interface Ids {
  hqRun: string;
  northwindRun: string;
  workspaceRun: string;
  tailspinRun: string;
  /** Baseline profiles with their source in contoso-hq / northwind, and compare results per target. */
  hqBaseline: string;
  northwindBaseline: string;
  tailspinBaseline: string;
  fabrikamResult: string;
  northwindResult: string;
  /** A spare personal API token of the owner (revoking it leaves the owner's persona token alone). */
  ownerSpareToken: string;
  /** A readonly member of contoso-msp the member routes change and remove. */
  spareMember: string;
  /** Pending invitations to contoso-msp (the revoke route revokes it) and to tailspin-msp. */
  spareInvitation: string;
  tailspinInvitation: string;
}

interface Route {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: (ids: Ids) => string;
  body?: object | ((ids: Ids) => object);
  /** The same route aimed at something that does not exist: a hidden 404 must look the same. */
  missing?: (ids: Ids) => string;
  /**
   * For personas that cannot see what the body names: the same request naming an unknown id must
   * answer exactly alike (status and body, with the id itself swapped), e.g. a hidden baseline.
   */
  hiddenInBody?: { personas: Persona[]; id: (ids: Ids) => string };
  /** 403 codes besides `forbidden` (a limited member asking for a workspace-wide bulk run). */
  forbiddenCodes?: string[];
  expect: Record<Persona, Expected>;
}

const CONTOSO_OPS = '/api/v1/workspaces/contoso-msp/operations';
const start = (ws: string, env: string) => `/api/v1/workspaces/${ws}/environments/${env}/operations`;
const ENVIRONMENTS = '/api/v1/workspaces/contoso-msp/environments';
const CONTOSO_BASELINES = '/api/v1/workspaces/contoso-msp/baselines';
const findings = (baseline: string, result: string) => `${CONTOSO_BASELINES}/${baseline}/compare-results/${result}/findings`;

const CONTOSO_MEMBERS = '/api/v1/workspaces/contoso-msp/members';
const CONTOSO_INVITATIONS = '/api/v1/workspaces/contoso-msp/invitations';
const MEMBER_REFUSED = { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 } as const;

const ROUTES: Route[] = [
  {
    name: 'GET /api/v1/me',
    method: 'get',
    path: () => '/api/v1/me',
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 200, anonymous: 401 },
  },
  // Your account: every user has their own tokens; another user's token id is an unknown id.
  {
    name: 'GET /api/v1/me/tokens',
    method: 'get',
    path: () => '/api/v1/me/tokens',
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 200, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/me/tokens',
    method: 'post',
    path: () => '/api/v1/me/tokens',
    body: { name: 'matrix token', expires_in_days: 1 },
    expect: { owner: 201, operator: 201, viewer: 201, outsider: 201, anonymous: 401 },
  },
  {
    name: "DELETE /api/v1/me/tokens/:id (the owner's spare token)",
    method: 'delete',
    path: (ids) => `/api/v1/me/tokens/${ids.ownerSpareToken}`,
    missing: () => `/api/v1/me/tokens/${randomUUID()}`,
    expect: { owner: 204, operator: 404, viewer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'DELETE /api/v1/me/tokens/:id (malformed id)',
    method: 'delete',
    path: () => '/api/v1/me/tokens/not-a-uuid',
    missing: () => `/api/v1/me/tokens/${randomUUID()}`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces',
    method: 'get',
    path: () => '/api/v1/workspaces',
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 200, anonymous: 401 },
  },
  // Workspaces: creating is a platform administrator's act (no demo persona is one: all 403);
  // renaming needs workspace.manage (owners). The same name again changes nothing.
  {
    name: 'POST /api/v1/workspaces',
    method: 'post',
    path: () => '/api/v1/workspaces',
    body: { slug: 'matrix-ws', name: 'Matrix workspace' },
    expect: { owner: 403, operator: 403, viewer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp',
    method: 'patch',
    path: () => '/api/v1/workspaces/contoso-msp',
    body: { name: 'Contoso MSP' },
    missing: () => '/api/v1/workspaces/no-such-msp',
    expect: { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/tailspin-msp',
    method: 'patch',
    path: () => '/api/v1/workspaces/tailspin-msp',
    body: { name: 'Tailspin MSP' },
    missing: () => '/api/v1/workspaces/no-such-msp',
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/environments',
    method: 'get',
    path: () => '/api/v1/workspaces/contoso-msp/environments',
    missing: () => '/api/v1/workspaces/no-such-msp/environments',
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/tailspin-msp/environments',
    method: 'get',
    path: () => '/api/v1/workspaces/tailspin-msp/environments',
    missing: () => '/api/v1/workspaces/no-such-msp/environments',
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  // Members (members.manage: owners). A limited operator and a viewer are members: 403.
  {
    name: 'GET /api/v1/workspaces/contoso-msp/members',
    method: 'get',
    path: () => CONTOSO_MEMBERS,
    missing: () => '/api/v1/workspaces/no-such-msp/members',
    expect: MEMBER_REFUSED,
  },
  {
    name: 'GET /api/v1/workspaces/tailspin-msp/members',
    method: 'get',
    path: () => '/api/v1/workspaces/tailspin-msp/members',
    missing: () => '/api/v1/workspaces/no-such-msp/members',
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/members (an invitation)',
    method: 'post',
    path: () => CONTOSO_MEMBERS,
    body: { email: 'matrix.invitee@opsdeck.test', role: 'readonly', environments: ['contoso-hq'] },
    missing: () => '/api/v1/workspaces/no-such-msp/members',
    expect: { ...MEMBER_REFUSED, owner: 201 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/members (granting owner to an existing user)',
    method: 'post',
    path: () => CONTOSO_MEMBERS,
    body: { email: 'matrix.existing@opsdeck.test', role: 'owner' },
    missing: () => '/api/v1/workspaces/no-such-msp/members',
    expect: { ...MEMBER_REFUSED, owner: 201 },
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp/members/:user',
    method: 'patch',
    path: (ids) => `${CONTOSO_MEMBERS}/${ids.spareMember}`,
    body: { role: 'operator', environments: ['fabrikam'] },
    missing: () => `${CONTOSO_MEMBERS}/${randomUUID()}`,
    expect: MEMBER_REFUSED,
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp/members/:user (widening scope to all)',
    method: 'patch',
    path: (ids) => `${CONTOSO_MEMBERS}/${ids.spareMember}`,
    body: { environments: 'all' },
    missing: () => `${CONTOSO_MEMBERS}/${randomUUID()}`,
    expect: MEMBER_REFUSED,
  },
  {
    name: 'DELETE /api/v1/workspaces/contoso-msp/members/:user',
    method: 'delete',
    path: (ids) => `${CONTOSO_MEMBERS}/${ids.spareMember}`,
    missing: () => `${CONTOSO_MEMBERS}/${randomUUID()}`,
    expect: { ...MEMBER_REFUSED, owner: 204 },
  },
  {
    name: 'DELETE /api/v1/workspaces/contoso-msp/members/:user (malformed id)',
    method: 'delete',
    path: () => `${CONTOSO_MEMBERS}/not-a-uuid`,
    missing: () => `${CONTOSO_MEMBERS}/${randomUUID()}`,
    expect: { ...MEMBER_REFUSED, owner: 404 },
  },
  // Revoking a pending invitation (members.manage); another workspace's invitation is unknown here.
  {
    name: 'DELETE /api/v1/workspaces/contoso-msp/invitations/:invitation',
    method: 'delete',
    path: (ids) => `${CONTOSO_INVITATIONS}/${ids.spareInvitation}`,
    missing: () => `${CONTOSO_INVITATIONS}/${randomUUID()}`,
    expect: { ...MEMBER_REFUSED, owner: 204 },
  },
  {
    name: 'DELETE /api/v1/workspaces/contoso-msp/invitations/:invitation (malformed id)',
    method: 'delete',
    path: () => `${CONTOSO_INVITATIONS}/not-a-uuid`,
    missing: () => `${CONTOSO_INVITATIONS}/${randomUUID()}`,
    expect: { ...MEMBER_REFUSED, owner: 404 },
  },
  {
    name: "DELETE /api/v1/workspaces/contoso-msp/invitations/:invitation (tailspin-msp's invitation)",
    method: 'delete',
    path: (ids) => `${CONTOSO_INVITATIONS}/${ids.tailspinInvitation}`,
    missing: () => `${CONTOSO_INVITATIONS}/${randomUUID()}`,
    expect: { ...MEMBER_REFUSED, owner: 404 },
  },
  {
    name: 'DELETE /api/v1/workspaces/no-such-msp/invitations/:invitation',
    method: 'delete',
    path: (ids) => `/api/v1/workspaces/no-such-msp/invitations/${ids.spareInvitation}`,
    missing: () => `/api/v1/workspaces/no-such-msp/invitations/${randomUUID()}`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/operations',
    method: 'get',
    path: () => CONTOSO_OPS,
    missing: () => '/api/v1/workspaces/no-such-msp/operations',
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/operations?environment=northwind',
    method: 'get',
    path: () => `${CONTOSO_OPS}?environment=northwind&tab=active`,
    missing: () => `${CONTOSO_OPS}?environment=atlantis&tab=active`,
    expect: { owner: 200, operator: 404, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/tailspin-msp/operations',
    method: 'get',
    path: () => '/api/v1/workspaces/tailspin-msp/operations',
    missing: () => '/api/v1/workspaces/no-such-msp/operations',
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/audit',
    method: 'get',
    path: () => '/api/v1/workspaces/contoso-msp/audit',
    missing: () => '/api/v1/workspaces/no-such-msp/audit',
    expect: { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/tailspin-msp/audit',
    method: 'get',
    path: () => '/api/v1/workspaces/tailspin-msp/audit',
    missing: () => '/api/v1/workspaces/no-such-msp/audit',
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  {
    name: 'POST start inventory.sync in contoso-hq',
    method: 'post',
    path: () => start('contoso-msp', 'contoso-hq'),
    body: { type: 'inventory.sync' },
    missing: () => start('contoso-msp', 'atlantis'),
    expect: { owner: STARTED, operator: STARTED, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST start inventory.sync in northwind',
    method: 'post',
    path: () => start('contoso-msp', 'northwind'),
    body: { type: 'inventory.sync' },
    missing: () => start('contoso-msp', 'atlantis'),
    expect: { owner: STARTED, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST start an unknown type in northwind (scope is judged before the type)',
    method: 'post',
    path: () => start('contoso-msp', 'northwind'),
    body: { type: 'no.such.type' },
    missing: () => start('contoso-msp', 'atlantis'),
    expect: { owner: 400, operator: 404, viewer: 400, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST start inventory.sync in tailspin-prod',
    method: 'post',
    path: () => start('tailspin-msp', 'tailspin-prod'),
    body: { type: 'inventory.sync' },
    missing: () => start('no-such-msp', 'tailspin-prod'),
    expect: { owner: 404, operator: 404, viewer: 404, outsider: STARTED, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id (contoso-hq run)',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.hqRun}`,
    missing: () => `/api/v1/operations/${randomUUID()}`,
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id (northwind run)',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.northwindRun}`,
    missing: () => `/api/v1/operations/${randomUUID()}`,
    expect: { owner: 200, operator: 404, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id (workspace-level run)',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.workspaceRun}`,
    missing: () => `/api/v1/operations/${randomUUID()}`,
    expect: { owner: 200, operator: 404, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id (tailspin run)',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.tailspinRun}`,
    missing: () => `/api/v1/operations/${randomUUID()}`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id (malformed id)',
    method: 'get',
    path: () => '/api/v1/operations/not-a-uuid',
    missing: () => `/api/v1/operations/${randomUUID()}`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/baselines',
    method: 'get',
    path: () => CONTOSO_BASELINES,
    missing: () => '/api/v1/workspaces/no-such-msp/baselines',
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/baselines (source contoso-hq)',
    method: 'post',
    path: () => CONTOSO_BASELINES,
    body: { name: 'Matrix baseline', source_environment: 'contoso-hq' },
    missing: () => '/api/v1/workspaces/no-such-msp/baselines',
    expect: { owner: 201, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/baselines/:id (source contoso-hq)',
    method: 'get',
    path: (ids) => `${CONTOSO_BASELINES}/${ids.hqBaseline}`,
    missing: () => `${CONTOSO_BASELINES}/${randomUUID()}`,
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/baselines/:id (source northwind)',
    method: 'get',
    path: (ids) => `${CONTOSO_BASELINES}/${ids.northwindBaseline}`,
    missing: () => `${CONTOSO_BASELINES}/${randomUUID()}`,
    expect: { owner: 200, operator: 404, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/workspaces/contoso-msp/baselines/:id (tailspin baseline)',
    method: 'get',
    path: (ids) => `${CONTOSO_BASELINES}/${ids.tailspinBaseline}`,
    missing: () => `${CONTOSO_BASELINES}/${randomUUID()}`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp/baselines/:id (source contoso-hq)',
    method: 'patch',
    path: (ids) => `${CONTOSO_BASELINES}/${ids.hqBaseline}`,
    body: { policy_kinds: ['deviceConfiguration'] },
    missing: () => `${CONTOSO_BASELINES}/${randomUUID()}`,
    expect: { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp/baselines/:id (source northwind)',
    method: 'patch',
    path: (ids) => `${CONTOSO_BASELINES}/${ids.northwindBaseline}`,
    body: { policy_kinds: ['deviceConfiguration'] },
    missing: () => `${CONTOSO_BASELINES}/${randomUUID()}`,
    expect: { owner: 200, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/tailspin-msp/baselines/:id',
    method: 'patch',
    path: (ids) => `/api/v1/workspaces/tailspin-msp/baselines/${ids.tailspinBaseline}`,
    body: { policy_kinds: ['deviceConfiguration'] },
    missing: () => `/api/v1/workspaces/no-such-msp/baselines/${randomUUID()}`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 200, anonymous: 401 },
  },
  {
    name: 'POST start baseline.compare in fabrikam naming the northwind baseline',
    method: 'post',
    path: () => start('contoso-msp', 'fabrikam'),
    body: (ids) => ({ type: 'baseline.compare', input: { baseline_id: ids.northwindBaseline } }),
    missing: () => start('contoso-msp', 'atlantis'),
    hiddenInBody: { personas: ['operator'], id: (ids) => ids.northwindBaseline },
    expect: { owner: STARTED, operator: 400, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST start baseline.capture in contoso-hq naming the northwind baseline',
    method: 'post',
    path: () => start('contoso-msp', 'contoso-hq'),
    body: (ids) => ({ type: 'baseline.capture', input: { baseline_id: ids.northwindBaseline } }),
    missing: () => start('contoso-msp', 'atlantis'),
    hiddenInBody: { personas: ['operator'], id: (ids) => ids.northwindBaseline },
    expect: { owner: 400, operator: 400, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET baseline findings (source contoso-hq, target fabrikam)',
    method: 'get',
    path: (ids) => findings(ids.hqBaseline, ids.fabrikamResult),
    missing: (ids) => findings(ids.hqBaseline, randomUUID()),
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET baseline findings (source contoso-hq, target northwind)',
    method: 'get',
    path: (ids) => findings(ids.hqBaseline, ids.northwindResult),
    missing: (ids) => findings(ids.hqBaseline, randomUUID()),
    expect: { owner: 200, operator: 404, viewer: 200, outsider: 404, anonymous: 401 },
  },
  // Cancel (issue 17): every fixture run is completed, so whoever may cancel it gets 409; the rest
  // are refused exactly as for reading it (404 outside scope), or 403 without operations.cancel.
  {
    name: 'POST /api/v1/operations/:id/cancel (contoso-hq run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.hqRun}/cancel`,
    missing: () => `/api/v1/operations/${randomUUID()}/cancel`,
    expect: { owner: 409, operator: 409, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/operations/:id/cancel (northwind run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.northwindRun}/cancel`,
    missing: () => `/api/v1/operations/${randomUUID()}/cancel`,
    expect: { owner: 409, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/operations/:id/cancel (workspace-level run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.workspaceRun}/cancel`,
    missing: () => `/api/v1/operations/${randomUUID()}/cancel`,
    expect: { owner: 409, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/operations/:id/cancel (tailspin run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.tailspinRun}/cancel`,
    missing: () => `/api/v1/operations/not-a-uuid/cancel`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 409, anonymous: 401 },
  },
  // Retry: the fixture runs succeeded, so whoever may start inventory.sync there gets 409.
  {
    name: 'POST /api/v1/operations/:id/retry (contoso-hq run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.hqRun}/retry`,
    missing: () => `/api/v1/operations/${randomUUID()}/retry`,
    expect: { owner: 409, operator: 409, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/operations/:id/retry (northwind run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.northwindRun}/retry`,
    missing: () => `/api/v1/operations/${randomUUID()}/retry`,
    expect: { owner: 409, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/operations/:id/retry (tailspin run)',
    method: 'post',
    path: (ids) => `/api/v1/operations/${ids.tailspinRun}/retry`,
    missing: () => `/api/v1/operations/not-a-uuid/retry`,
    expect: { owner: 404, operator: 404, viewer: 404, outsider: 409, anonymous: 401 },
  },
  // Bulk actions and fan-out: a workspace-wide bulk run needs every environment (limited members
  // get 403 needs_every_environment); one filtered to an environment belongs to it. Filters that
  // match nothing keep the other rows' fixtures as they are.
  {
    name: 'POST /api/v1/workspaces/contoso-msp/operations/bulk (cancel, workspace-wide)',
    method: 'post',
    path: () => `${CONTOSO_OPS}/bulk`,
    body: { action: 'cancel', filter: { tab: 'active', type: 'baseline.capture' } },
    missing: () => '/api/v1/workspaces/no-such-msp/operations/bulk',
    forbiddenCodes: ['needs_every_environment'],
    expect: { owner: STARTED, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/operations/bulk (cancel, contoso-hq)',
    method: 'post',
    path: () => `${CONTOSO_OPS}/bulk`,
    body: { action: 'cancel', filter: { tab: 'active', type: 'baseline.capture', environment: 'contoso-hq' } },
    missing: () => '/api/v1/workspaces/no-such-msp/operations/bulk',
    expect: { owner: STARTED, operator: STARTED, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/operations/bulk (retry, northwind)',
    method: 'post',
    path: () => `${CONTOSO_OPS}/bulk`,
    body: { action: 'retry', filter: { outcome: 'blocked', environment: 'northwind' } },
    missing: () => '/api/v1/workspaces/no-such-msp/operations/bulk',
    hiddenInBody: { personas: ['operator'], id: () => 'northwind' },
    expect: { owner: STARTED, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/tailspin-msp/operations/bulk',
    method: 'post',
    path: () => '/api/v1/workspaces/tailspin-msp/operations/bulk',
    body: { action: 'cancel', filter: { tab: 'active', type: 'baseline.capture' } },
    missing: () => '/api/v1/workspaces/no-such-msp/operations/bulk',
    expect: { owner: 404, operator: 404, viewer: 404, outsider: STARTED, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/operations/fan-out (contoso-hq)',
    method: 'post',
    path: () => `${CONTOSO_OPS}/fan-out`,
    body: { type: 'environment.review.compose', environments: ['contoso-hq'] },
    missing: () => '/api/v1/workspaces/no-such-msp/operations/fan-out',
    forbiddenCodes: ['needs_every_environment'],
    expect: { owner: STARTED, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/operations/fan-out (northwind)',
    method: 'post',
    path: () => `${CONTOSO_OPS}/fan-out`,
    body: { type: 'environment.review.compose', environments: ['northwind'] },
    missing: () => '/api/v1/workspaces/no-such-msp/operations/fan-out',
    hiddenInBody: { personas: ['operator'], id: () => 'northwind' },
    expect: { owner: STARTED, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id/children (contoso-hq run)',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.hqRun}/children`,
    missing: () => `/api/v1/operations/${randomUUID()}/children`,
    expect: { owner: 200, operator: 200, viewer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/v1/operations/:id/children (workspace-level run)',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.workspaceRun}/children`,
    missing: () => `/api/v1/operations/not-a-uuid/children`,
    expect: { owner: 200, operator: 404, viewer: 200, outsider: 404, anonymous: 401 },
  },
  // Environment administration (environments.manage: owner and manager). Archive and restore
  // fabrikam last, in this order, so every other row sees it active.
  {
    name: 'POST /api/v1/workspaces/contoso-msp/environments',
    method: 'post',
    path: () => ENVIRONMENTS,
    body: () => ({ slug: `matrix-${randomUUID().slice(0, 8)}`, display_name: 'Matrix', provider: { kind: 'fixture' } }),
    missing: () => '/api/v1/workspaces/no-such-msp/environments',
    expect: { owner: 201, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp/environments/fabrikam',
    method: 'patch',
    path: () => `${ENVIRONMENTS}/fabrikam`,
    body: { provider: { kind: 'fixture' } },
    missing: () => `${ENVIRONMENTS}/no-such-env`,
    expect: { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/v1/workspaces/contoso-msp/environments/northwind',
    method: 'patch',
    path: () => `${ENVIRONMENTS}/northwind`,
    body: { provider: { kind: 'fixture' } },
    missing: () => `${ENVIRONMENTS}/no-such-env`,
    expect: { owner: 200, operator: 404, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/environments/fabrikam/archive',
    method: 'post',
    path: () => `${ENVIRONMENTS}/fabrikam/archive`,
    missing: () => `${ENVIRONMENTS}/no-such-env/archive`,
    expect: { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/v1/workspaces/contoso-msp/environments/fabrikam/restore',
    method: 'post',
    path: () => `${ENVIRONMENTS}/fabrikam/restore`,
    missing: () => `${ENVIRONMENTS}/no-such-env/restore`,
    expect: { owner: 200, operator: 403, viewer: 403, outsider: 404, anonymous: 401 },
  },
];

describe('JSON API authorization matrix (deny-as-not-found)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let ids: Ids;

  beforeAll(async () => {
    t = await startTestApp();
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    const [tailspin] = await t.db.query<{ id: string; env: string }>(
      `select w.id, e.id as env from workspaces w join managed_environments e on e.workspace_id = w.id
        where w.slug = 'tailspin-msp'`,
    );
    const completed = { type: 'inventory.sync', status: 'completed' as const, outcome: 'succeeded' };
    ids = {
      hqRun: await insertRunRow(t.db, { ...completed, workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'] }),
      northwindRun: await insertRunRow(t.db, { ...completed, workspaceId: scope.workspaceId, environmentId: scope.environmentIds.northwind }),
      workspaceRun: await insertRunRow(t.db, { ...completed, workspaceId: scope.workspaceId, environmentId: null }),
      tailspinRun: await insertRunRow(t.db, { ...completed, workspaceId: tailspin.id, environmentId: tailspin.env }),
      ...(await insertBaselines(tailspin)),
      ownerSpareToken: (
        await t.db.query<{ id: string }>(
          `insert into api_tokens (user_id, name, token_hash) values ($1, 'spare', md5(random()::text)) returning id`,
          [scope.userIds.owner],
        )
      )[0].id,
      spareMember: await spareMember(),
      spareInvitation: await pendingInvitation(scope.workspaceId),
      tailspinInvitation: await pendingInvitation(tailspin.id),
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  async function spareMember(): Promise<string> {
    const [user] = await t.db.query<{ id: string }>(
      `insert into users (email, display_name, password_hash) values ('spare.member@opsdeck.test', 'Spare Member', 'x') returning id`,
    );
    await t.db.query(`insert into memberships (user_id, workspace_id, role) values ($1, $2, 'readonly')`, [user.id, scope.workspaceId]);
    // Not a member of anything: the owner adds them (as an owner) through the API.
    await t.db.query(`insert into users (email, display_name, password_hash) values ('matrix.existing@opsdeck.test', 'Matrix Existing', 'x')`);
    return user.id;
  }

  async function pendingInvitation(workspaceId: string): Promise<string> {
    const [row] = await t.db.query<{ id: string }>(
      `insert into membership_invitations (workspace_id, email, role, token_hash, expires_at)
       values ($1, 'matrix.pending@opsdeck.test', 'readonly', md5(random()::text), now() + interval '7 days') returning id`,
      [workspaceId],
    );
    return row.id;
  }

  /** Profiles, a complete snapshot of the hq one and two empty compare results, as rows. */
  async function insertBaselines(tailspin: { id: string; env: string }) {
    const profile = async (workspaceId: string, name: string, source: string) =>
      (
        await t.db.query<{ id: string }>(
          `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, $2, $3) returning id`,
          [workspaceId, name, source],
        )
      )[0].id;
    const hqBaseline = await profile(scope.workspaceId, 'HQ baseline', scope.environmentIds['contoso-hq']);
    const completeSnapshot = async (profileId: string) =>
      (
        await t.db.query<{ id: string }>(
          `insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, $2, 'complete', now()) returning id`,
          [profileId, randomUUID()],
        )
      )[0];
    const snapshot = await completeSnapshot(hqBaseline);
    const result = async (target: string) =>
      (
        await t.db.query<{ id: string }>(
          `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id, status, completed_at)
           values ($1, $2, $3, $4, 'complete', now()) returning id`,
          [hqBaseline, snapshot.id, target, randomUUID()],
        )
      )[0].id;
    // Complete, so whoever may see it can start a compare with it.
    const northwindBaseline = await profile(scope.workspaceId, 'Northwind baseline', scope.environmentIds.northwind);
    await completeSnapshot(northwindBaseline);
    return {
      hqBaseline,
      northwindBaseline,
      tailspinBaseline: await profile(tailspin.id, 'Tailspin baseline', tailspin.env),
      fabrikamResult: await result(scope.environmentIds.fabrikam),
      northwindResult: await result(scope.environmentIds.northwind),
    };
  }

  const send = (route: Route, persona: Persona, path: string, body = typeof route.body === 'function' ? route.body(ids) : route.body) => {
    const req = request(t.app.getHttpServer())[route.method](path).set(personas.auth(persona));
    return body ? req.send(body) : req;
  };

  const cells = ROUTES.flatMap((route) => PERSONAS.map((persona) => [route.name, persona, route] as const));

  it.each(cells)('%s as %s', async (_name, persona, route) => {
    const res = await send(route, persona, route.path(ids));
    const expected = route.expect[persona];
    const allowed = (Array.isArray(expected) ? expected : [expected]) as number[];
    if (!allowed.includes(res.status)) {
      throw new Error(`${route.name} as ${persona}: expected ${allowed.join('/')}, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (res.status >= 400) {
      expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    if (res.status === 401) expect(res.body.error.code).toBe('unauthenticated');
    if (res.status === 403) expect(['forbidden', ...(route.forbiddenCodes ?? [])]).toContain(res.body.error.code);
    if (res.status === 404) {
      // Identical to a resource that does not exist, for the same caller.
      expect(res.body).toEqual(NOT_FOUND_BODY);
      const twin = await send(route, persona, route.missing!(ids));
      expect({ status: twin.status, body: twin.body }).toEqual({ status: 404, body: res.body });
    }
    if (route.hiddenInBody?.personas.includes(persona)) {
      const hidden = route.hiddenInBody.id(ids);
      const unknown = randomUUID();
      const body = JSON.parse(JSON.stringify(typeof route.body === 'function' ? route.body(ids) : route.body).split(hidden).join(unknown));
      const twin = await send(route, persona, route.path(ids), body);
      const masked = (value: unknown, id: string) => JSON.parse(JSON.stringify(value).split(id).join('<id>'));
      expect({ status: twin.status, body: masked(twin.body, unknown) }).toEqual({ status: res.status, body: masked(res.body, hidden) });
    }
  });

  it('lists only member workspaces and entitled environments', async () => {
    const get = (persona: Persona, path: string) => request(t.app.getHttpServer()).get(path).set(personas.auth(persona)).expect(200);
    expect((await get('operator', '/api/v1/me')).body).toEqual({
      id: scope.userIds.operator,
      email: 'operator@opsdeck.test',
      display_name: 'Oscar Operator',
      platform_admin: false,
    });
    expect((await get('outsider', '/api/v1/workspaces')).body.items.map((w: { slug: string }) => w.slug)).toEqual(['tailspin-msp']);
    const [contoso] = (await get('operator', '/api/v1/workspaces')).body.items;
    expect(contoso).toMatchObject({ slug: 'contoso-msp', role: 'operator', all_environments: false });
    expect(contoso.capabilities).toEqual(expect.arrayContaining(['operations.view', 'inventory.sync']));
    expect(contoso.capabilities).not.toContain('operations.view_diagnostics');
    const slugs = async (persona: Persona) =>
      (await get(persona, '/api/v1/workspaces/contoso-msp/environments')).body.items
        .map((e: { slug: string }) => e.slug)
        .filter((slug: string) => !slug.startsWith('matrix-')); // created by the POST row
    expect(await slugs('operator')).toEqual(['contoso-hq', 'fabrikam']);
    expect(await slugs('viewer')).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
  });

  it('an unknown /api/v1 route answers the same 404 body', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/nothing-here').set(personas.auth('owner'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND_BODY);
  });

  it('revoked, unknown and malformed tokens are 401 with a clear message', async () => {
    const server = t.app.getHttpServer();
    await t.db.query(`update api_tokens set revoked_at = now() where user_id = $1`, [scope.userIds.viewer]);
    try {
      for (const header of [
        `Bearer ${personas.tokens.viewer}`,
        `Bearer odk_${'A'.repeat(43)}`,
        'Bearer not-a-token',
        `Basic ${Buffer.from('owner@opsdeck.test:opsdeck-demo').toString('base64')}`,
        'Bearer',
      ]) {
        const res = await request(server).get('/api/v1/me').set('Authorization', header);
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthenticated');
        expect(res.body.error.message).toMatch(/API token/);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    } finally {
      await t.db.query(`update api_tokens set revoked_at = null where user_id = $1`, [scope.userIds.viewer]);
    }
  });

  it('a used token records last_used_at', async () => {
    await request(t.app.getHttpServer()).get('/api/v1/me').set(personas.auth('outsider')).expect(200);
    // The persona's token (the matrix created others for the outsider).
    const [row] = await t.db.query<{ last_used_at: Date | null }>(`select last_used_at from api_tokens where user_id = $1 and name = 'outsider e2e'`, [
      scope.userIds.outsider,
    ]);
    expect(row.last_used_at).not.toBeNull();
  });
});
