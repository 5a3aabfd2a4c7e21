import { Logger } from '@nestjs/common';
import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The abuse table: every API route and form × hostile input (malformed JSON, wrong types, oversized
 * bodies, unknown fields, SQL and script injection, invalid UUIDs and cursors). Each must answer
 * 4xx with a clear message and never a 500 or a stack trace; pages must never reflect script.
 * A new route is covered by adding a row to ROUTES (and, for forms, to FORMS).
 */

interface Ids {
  run: string;
  baseline: string;
}

interface ApiRoute {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: (ids: Ids) => string;
  /** Takes a JSON body (POST/PATCH). */
  body?: boolean;
  /** Accepts query parameters worth attacking. */
  query?: Record<string, string>;
  /** Templates whose :id-like segment gets hostile values (replaces `{id}`). */
  idPath?: (id: string) => string;
}

const W = '/api/v1/workspaces/contoso-msp';
const ROUTES: ApiRoute[] = [
  { name: 'me', method: 'get', path: () => '/api/v1/me' },
  { name: 'workspaces', method: 'get', path: () => '/api/v1/workspaces' },
  { name: 'create workspace', method: 'post', path: () => '/api/v1/workspaces', body: true },
  { name: 'rename workspace', method: 'patch', path: () => W, body: true, idPath: (id) => `/api/v1/workspaces/${id}` },
  { name: 'list my tokens', method: 'get', path: () => '/api/v1/me/tokens' },
  { name: 'create my token', method: 'post', path: () => '/api/v1/me/tokens', body: true },
  { name: 'revoke my token', method: 'delete', path: () => `/api/v1/me/tokens/${NIL_UUID}`, idPath: (id) => `/api/v1/me/tokens/${id}` },
  { name: 'environments', method: 'get', path: () => `${W}/environments`, idPath: (id) => `/api/v1/workspaces/${id}/environments` },
  { name: 'create environment', method: 'post', path: () => `${W}/environments`, body: true, idPath: (id) => `/api/v1/workspaces/${id}/environments` },
  { name: 'update environment', method: 'patch', path: () => `${W}/environments/contoso-hq`, body: true, idPath: (id) => `${W}/environments/${id}` },
  { name: 'archive environment', method: 'post', path: () => `${W}/environments/${NIL_UUID}/archive`, idPath: (id) => `${W}/environments/${id}/archive` },
  { name: 'restore environment', method: 'post', path: () => `${W}/environments/${NIL_UUID}/restore`, idPath: (id) => `${W}/environments/${id}/restore` },
  {
    name: 'start operation',
    method: 'post',
    path: () => `${W}/environments/contoso-hq/operations`,
    body: true,
    idPath: (id) => `${W}/environments/${id}/operations`,
  },
  {
    name: 'list operations',
    method: 'get',
    path: () => `${W}/operations`,
    query: { tab: 'all', status: 'queued', outcome: 'failed', problem_class: 'terminal_follow_up', limit: '10', cursor: 'x', type: 'inventory.sync', environment: 'contoso-hq', initiator: 'x', from: '2026-01-01', to: '2026-01-02' },
  },
  { name: 'get operation', method: 'get', path: (ids) => `/api/v1/operations/${ids.run}`, idPath: (id) => `/api/v1/operations/${id}` },
  { name: 'retry operation', method: 'post', path: (ids) => `/api/v1/operations/${ids.run}/retry`, idPath: (id) => `/api/v1/operations/${id}/retry` },
  { name: 'cancel operation', method: 'post', path: (ids) => `/api/v1/operations/${ids.run}/cancel`, idPath: (id) => `/api/v1/operations/${id}/cancel` },
  { name: 'bulk action', method: 'post', path: () => `${W}/operations/bulk`, body: true, idPath: (id) => `/api/v1/workspaces/${id}/operations/bulk` },
  { name: 'fan-out', method: 'post', path: () => `${W}/operations/fan-out`, body: true, idPath: (id) => `/api/v1/workspaces/${id}/operations/fan-out` },
  {
    name: 'run children',
    method: 'get',
    path: (ids) => `/api/v1/operations/${ids.run}/children`,
    query: { cursor: 'x' },
    idPath: (id) => `/api/v1/operations/${id}/children`,
  },
  { name: 'list baselines', method: 'get', path: () => `${W}/baselines` },
  { name: 'create baseline', method: 'post', path: () => `${W}/baselines`, body: true },
  { name: 'get baseline', method: 'get', path: (ids) => `${W}/baselines/${ids.baseline}`, idPath: (id) => `${W}/baselines/${id}` },
  { name: 'update baseline', method: 'patch', path: (ids) => `${W}/baselines/${ids.baseline}`, body: true, idPath: (id) => `${W}/baselines/${id}` },
  {
    name: 'baseline findings',
    method: 'get',
    path: (ids) => `${W}/baselines/${ids.baseline}/compare-results/${ids.run}/findings`,
    query: { cursor: 'x', limit: '10' },
    idPath: (id) => `${W}/baselines/${id}/compare-results/${id}/findings`,
  },
  { name: 'list reviews', method: 'get', path: () => `${W}/environments/contoso-hq/reviews`, idPath: (id) => `${W}/environments/${id}/reviews` },
  { name: 'get review', method: 'get', path: (ids) => `${W}/environments/contoso-hq/reviews/${ids.run}`, idPath: (id) => `${W}/environments/contoso-hq/reviews/${id}` },
  { name: 'review markdown', method: 'get', path: (ids) => `${W}/environments/contoso-hq/reviews/${ids.run}.md`, idPath: (id) => `${W}/environments/contoso-hq/reviews/${id}.md` },
  { name: 'audit log', method: 'get', path: () => `${W}/audit`, query: { cursor: 'x', limit: '10' } },
  { name: 'list members', method: 'get', path: () => `${W}/members`, idPath: (id) => `/api/v1/workspaces/${id}/members` },
  { name: 'add member', method: 'post', path: () => `${W}/members`, body: true, idPath: (id) => `/api/v1/workspaces/${id}/members` },
  { name: 'change member', method: 'patch', path: () => `${W}/members/${NIL_UUID}`, body: true, idPath: (id) => `${W}/members/${id}` },
  { name: 'remove member', method: 'delete', path: () => `${W}/members/${NIL_UUID}`, idPath: (id) => `${W}/members/${id}` },
  { name: 'revoke invitation', method: 'delete', path: () => `${W}/invitations/${NIL_UUID}`, idPath: (id) => `${W}/invitations/${id}` },
  { name: 'revoke invitation, hostile workspace', method: 'delete', path: () => `/api/v1/workspaces/x/invitations/${NIL_UUID}`, idPath: (id) => `/api/v1/workspaces/${id}/invitations/${NIL_UUID}` },
];

const SQL = "' OR '1'='1'; DROP TABLE operation_runs; --";
const SCRIPT = '<script>alert(1)</script>';
const HOSTILE_IDS = ['not-a-uuid', encodeURIComponent(SQL), encodeURIComponent(SCRIPT), '00000000-0000-0000-0000-00000000000g', '%00', 'x'.repeat(300)];
const HOSTILE_QUERY_VALUES = ['', SQL, SCRIPT, '-1', '1e309', 'ü'.repeat(50), 'x'.repeat(5000)];
const OVERSIZED = JSON.stringify({ type: 'inventory.sync', input: { blob: 'x'.repeat(200 * 1024) } });

interface BodyCase {
  name: string;
  raw: string;
}
const BODY_CASES: BodyCase[] = [
  { name: 'malformed JSON', raw: '{"type": "inventory.sync",' },
  { name: 'JSON array', raw: '[]' },
  { name: 'JSON null', raw: 'null' },
  { name: 'JSON string', raw: '"inventory.sync"' },
  { name: 'wrong types', raw: JSON.stringify({ type: 42, input: 'x', name: 7, policy_kinds: 'all', source_environment: [] }) },
  { name: 'unknown fields', raw: JSON.stringify({ type: 'inventory.sync', name: 'x', bogus: true, __proto__: { admin: true } }) },
  { name: 'SQL injection', raw: JSON.stringify({ type: SQL, name: SQL, source_environment: SQL, input: { baseline_id: SQL } }) },
  { name: 'script injection', raw: JSON.stringify({ type: SCRIPT, name: SCRIPT, source_environment: SCRIPT }) },
  { name: 'oversized body', raw: OVERSIZED },
  { name: 'deeply nested', raw: '{"input":'.repeat(2000) + '{}' + '}'.repeat(2000) },
];

/** A request refused before any work, with the exact status and error code it must answer. */
interface Refusal {
  name: string;
  method: 'get' | 'post';
  path: (ids: Ids) => string;
  anonymous?: boolean;
  query?: Record<string, string>;
  /** Raw body, sent as application/json unless `headers` says otherwise. */
  json?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = (depth: number) => '['.repeat(depth) + '"x"' + ']'.repeat(depth);
/** A cursor in the API's encoding (base64url of `time|id`), carrying whatever text it is given. */
const cursorOf = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const NIL_UUID = '00000000-0000-4000-8000-000000000000';

function expectClear4xx(res: request.Response): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.text).not.toMatch(/at [\w.<>]+ \(.*:\d+:\d+\)/);
  if (res.type === 'application/json') {
    expect(typeof res.body?.error?.message).toBe('string');
    expect(res.body.error.message.length).toBeGreaterThan(0);
  }
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  // JSON may quote the input back (it is data, never sniffed as HTML); a page must escape it.
  if (res.type === 'text/html') expect(res.text).not.toContain('<script>alert(1)</script>');
}

describe('abuse: hostile input on every route answers a clear 4xx, never a 500', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  let ids: Ids;
  let session: string;
  let csrf: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
    const run = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], type: 'inventory.sync', status: 'completed' });
    const baseline = await t.db.query<{ id: string }>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, 'Abuse target', $2) returning id`,
      [scope.workspaceId, scope.environmentIds['contoso-hq']],
    );
    ids = { run, baseline: baseline[0].id };
    session = await signInAs(t, DEMO_USERS.find((u) => u.key === 'owner')!.email, scope.password);
    // The session's own CSRF token, so the forms below get past the guard and meet the validation.
    const row = await t.db.query<{ csrf_token: string }>('select csrf_token from sessions where user_id = $1 order by created_at desc limit 1', [scope.userIds.owner]);
    csrf = row[0].csrf_token;
  });
  afterAll(() => t?.close());

  const owner = () => api.auth('owner');

  const bodyCells = ROUTES.filter((r) => r.body).flatMap((route) => BODY_CASES.map((c) => [route.name, c.name, route, c] as const));
  it.each(bodyCells)('%s ← %s', async (_r, _c, route, c) => {
    const res = await http()[route.method](route.path(ids)).set(owner()).set('Content-Type', 'application/json').send(c.raw);
    expectClear4xx(res);
  });

  const idCells = ROUTES.filter((r) => r.idPath).flatMap((route) => HOSTILE_IDS.map((id) => [route.name, id.slice(0, 40), route, id] as const));
  it.each(idCells)('%s with id %s', async (_r, _i, route, id) => {
    const req = http()[route.method](route.idPath!(id)).set(owner());
    const res = await (route.body ? req.send({}) : req);
    expectClear4xx(res);
  });

  const queryCells = ROUTES.filter((r) => r.query).flatMap((route) =>
    Object.keys(route.query!).flatMap((param) => HOSTILE_QUERY_VALUES.map((v) => [route.name, `${param}=${v.slice(0, 20)}`, route, param, v] as const)),
  );
  it.each(queryCells)('%s with %s', async (_r, _q, route, param, value) => {
    const res = await http().get(route.path(ids)).query({ [param]: value }).set(owner());
    // A harmless value (e.g. an empty optional filter) may be accepted; anything else is a clear 4xx.
    if (res.status === 200) return expect(res.type).toBe('application/json');
    expectClear4xx(res);
  });

  it.each(ROUTES.filter((r) => r.query).map((r) => [r.name, r] as const))('%s with repeated and unknown parameters', async (_n, route) => {
    const res = await http().get(`${route.path(ids)}?limit=1&limit=2&evil[$ne]=1&unknown=1`).set(owner());
    expectClear4xx(res);
  });

  /**
   * Names an object already has (`__proto__`, `constructor`, …) are unknown parameters and unknown
   * fields like any other: 400 naming them, never silently dropped (class-transformer drops them
   * before the whitelist looks, so they used to answer 200).
   */
  const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];
  const prototypeQueryCells = ROUTES.filter((r) => r.query).flatMap((route) => PROTOTYPE_KEYS.map((key) => [route.name, key, route] as const));
  it.each(prototypeQueryCells)('%s with query parameter %s', async (_n, key, route) => {
    const res = await http().get(`${route.path(ids)}?${key}=1`).set(owner());
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'bad_request' });
    expect(res.body.error.message).toBe(`property ${key} should not exist`);
  });
  const prototypeBodyCells = ROUTES.filter((r) => r.body).flatMap((route) => PROTOTYPE_KEYS.map((key) => [route.name, key, route] as const));
  it.each(prototypeBodyCells)('%s with body field %s', async (_n, key, route) => {
    const raw = `{"type":"inventory.sync","name":"Proto","source_environment":"contoso-hq",${JSON.stringify(key)}:{"admin":true}}`;
    const res = await http()[route.method](route.path(ids)).set(owner()).set('Content-Type', 'application/json').send(raw);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'bad_request' });
    expect(res.body.error.message).toMatch(`property ${key} should not exist`);
  });

  /**
   * Bad input refused before any work, with its exact status and code (issue 14 item 16): nesting
   * beyond the parser's limit, bodies the JSON parser cannot read as sent, cursors and periods
   * outside the calendar or the sane range. None of them may reach PostgreSQL or log an error.
   */
  const REFUSALS: Refusal[] = [
    { name: 'anonymous sign-in with 5 000-deep JSON', method: 'post', path: () => '/login', anonymous: true, json: deepObject(5000), status: 400, code: 'json_too_deep' },
    { name: 'policy_kinds nested 3 000 deep', method: 'post', path: () => `${W}/baselines`, json: `{"name":"deep","source_environment":"contoso-hq","policy_kinds":${deepArray(3000)}}`, status: 400, code: 'json_too_deep' },
    { name: 'run input nested 3 000 deep', method: 'post', path: () => `${W}/environments/contoso-hq/operations`, json: `{"type":"inventory.sync","input":{"a":${deepArray(3000)}}}`, status: 400, code: 'json_too_deep' },
    { name: 'review period nested 3 000 deep', method: 'post', path: () => `${W}/environments/contoso-hq/operations`, json: `{"type":"environment.review.compose","input":{"period":${deepArray(3000)}}}`, status: 400, code: 'json_too_deep' },
    { name: 'unknown Content-Encoding', method: 'post', path: () => `${W}/baselines`, json: '{}', headers: { 'Content-Encoding': 'bogus' }, status: 415, code: 'unsupported_content_encoding' },
    { name: 'gzip-compressed body', method: 'post', path: () => `${W}/baselines`, json: '{}', headers: { 'Content-Encoding': 'gzip' }, status: 415, code: 'unsupported_content_encoding' },
    { name: 'unknown charset', method: 'post', path: () => `${W}/baselines`, json: '{}', headers: { 'Content-Type': 'application/json; charset=bogus' }, status: 415, code: 'unsupported_charset' },
    { name: 'JSON in ISO-8859-1', method: 'post', path: () => `${W}/baselines`, json: '{}', headers: { 'Content-Type': 'application/json; charset=iso-8859-1' }, status: 415, code: 'unsupported_charset' },
    { name: 'text/plain body on a JSON route', method: 'post', path: () => `${W}/baselines`, json: '{"name":"plain","source_environment":"contoso-hq"}', headers: { 'Content-Type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { name: 'form body on a JSON route', method: 'post', path: () => `${W}/environments/contoso-hq/operations`, json: 'type=inventory.sync', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: 'unknown problem_class', method: 'get', path: () => `${W}/operations`, query: { problem_class: 'stale' }, status: 400, code: 'bad_request' },
    { name: 'problem_class in another case', method: 'get', path: () => `${W}/operations`, query: { problem_class: 'TERMINAL_FOLLOW_UP' }, status: 400, code: 'bad_request' },
    { name: 'problem_class with SQL', method: 'get', path: () => `${W}/operations`, query: { problem_class: "none' or '1'='1" }, status: 400, code: 'bad_request' },
    { name: 'run cursor on 31 February', method: 'get', path: () => `${W}/operations`, query: { cursor: cursorOf(`2026-02-31T10:00:00.000000Z|${NIL_UUID}`) }, status: 400, code: 'invalid_cursor' },
    { name: 'run cursor in year 0', method: 'get', path: () => `${W}/operations`, query: { cursor: cursorOf(`0000-01-01T00:00:00.000000Z|${NIL_UUID}`) }, status: 400, code: 'invalid_cursor' },
    { name: 'audit cursor on 31 February', method: 'get', path: () => `${W}/audit`, query: { cursor: cursorOf(`2026-02-31T10:00:00.000000Z|${NIL_UUID}`) }, status: 400, code: 'invalid_cursor' },
    { name: 'audit cursor in year 0', method: 'get', path: () => `${W}/audit`, query: { cursor: cursorOf(`0000-01-01T00:00:00.000000Z|${NIL_UUID}`) }, status: 400, code: 'invalid_cursor' },
    { name: 'audit cursor with a 19-digit id', method: 'get', path: () => `${W}/audit`, query: { cursor: cursorOf('2026-01-01T00:00:00.000Z|9999999999999999999') }, status: 400, code: 'invalid_cursor' },
    { name: 'review period 9999-12', method: 'post', path: () => `${W}/environments/contoso-hq/operations`, json: JSON.stringify({ type: 'environment.review.compose', input: { period: '9999-12' } }), status: 400, code: 'invalid_input' },
    { name: 'review period 1999-12', method: 'post', path: () => `${W}/environments/contoso-hq/operations`, json: JSON.stringify({ type: 'environment.review.compose', input: { period: '1999-12' } }), status: 400, code: 'invalid_input' },
    { name: 'review range ending next year', method: 'post', path: () => `${W}/environments/contoso-hq/operations`, json: JSON.stringify({ type: 'environment.review.compose', input: { from: '2026-01-01', to: `${new Date().getUTCFullYear() + 1}-01-31` } }), status: 400, code: 'invalid_input' },
  ];
  it.each(REFUSALS.map((r) => [r.name, r] as const))('refused before any work: %s', async (_n, refusal) => {
    const logged = jest.spyOn(Logger.prototype, 'error');
    const runsBefore = await t.db.query<{ n: number }>('select count(*)::int as n from operation_runs');
    let req = http()[refusal.method](refusal.path(ids));
    if (!refusal.anonymous) req = req.set(owner());
    if (refusal.query) req = req.query(refusal.query);
    if (refusal.json !== undefined) req = req.set('Content-Type', 'application/json').set(refusal.headers ?? {}).send(refusal.json);
    const res = await req;
    try {
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: refusal.status, code: refusal.code });
      expectClear4xx(res);
      expect(logged).not.toHaveBeenCalled();
      expect(await t.db.query('select count(*)::int as n from operation_runs')).toEqual(runsBefore);
    } finally {
      logged.mockRestore();
    }
  });

  it('a form posted in an unknown charset gets a 415 page, not a 500', async () => {
    const res = await http().post('/login').set('Accept', 'text/html').set('Content-Type', 'application/x-www-form-urlencoded; charset=bogus').send('email=a&password=b');
    expect(res.status).toBe(415);
    expect(res.type).toBe('text/html');
    expectClear4xx(res);
  });

  it('the runs table survived every injection attempt', async () => {
    const count = await t.db.query<{ n: string }>('select count(*) as n from operation_runs');
    expect(Number(count[0].n)).toBeGreaterThanOrEqual(1);
  });

  /** Forms posted by a signed-in owner with a valid CSRF token but hostile fields. */
  interface FormRoute {
    name: string;
    path: (ids: Ids) => string;
    fields: Record<string, string | string[]>;
  }
  const FORMS: FormRoute[] = [
    { name: 'start form', path: () => '/w/contoso-msp/e/contoso-hq/operations', fields: { type: SCRIPT, baseline_id: SQL } },
    { name: 'start form, unknown type', path: () => '/w/contoso-msp/e/contoso-hq/operations', fields: { type: 'nope.nothing' } },
    { name: 'start form, array type', path: () => '/w/contoso-msp/e/contoso-hq/operations', fields: { type: ['a', 'b'] } },
    { name: 'start form, hostile environment', path: () => `/w/contoso-msp/e/${encodeURIComponent(SQL)}/operations`, fields: { type: 'inventory.sync' } },
    { name: 'start form, hostile workspace', path: () => `/w/${encodeURIComponent(SCRIPT)}/e/contoso-hq/operations`, fields: { type: 'inventory.sync' } },
    { name: 'cancel form, hostile id', path: () => `/operations/${encodeURIComponent(SQL)}/cancel`, fields: { bogus: SCRIPT } },
    { name: 'cancel form, completed run', path: (ids) => `/operations/${ids.run}/cancel`, fields: { reason: SCRIPT } },
    { name: 'retry form, hostile id', path: () => `/operations/${encodeURIComponent(SCRIPT)}/retry`, fields: { input: SQL } },
    { name: 'retry form, succeeded run', path: (ids) => `/operations/${ids.run}/retry`, fields: { type: SCRIPT } },
    { name: 'bulk form, hostile filters', path: () => '/w/contoso-msp/operations/bulk/cancel', fields: { tab: SCRIPT, environment: SQL, initiator: SQL } },
    { name: 'bulk form, unknown action', path: () => `/w/contoso-msp/operations/bulk/${encodeURIComponent(SCRIPT)}`, fields: { tab: 'active' } },
    { name: 'bulk form, array filter', path: () => '/w/contoso-msp/operations/bulk/retry', fields: { type: ['a', 'b'], from: '2026-02-31' } },
    { name: 'fan-out form, hostile type', path: () => '/w/contoso-msp/operations/fan-out', fields: { type: SCRIPT, scope: 'all' } },
    { name: 'fan-out form, hostile environments', path: () => '/w/contoso-msp/operations/fan-out', fields: { type: 'inventory.sync', scope: 'chosen', environments: [SQL, SCRIPT] } },
    { name: 'fan-out form, none ticked', path: () => '/w/contoso-msp/operations/fan-out', fields: { type: 'inventory.sync', scope: 'chosen' } },
    { name: 'fan-out form, workspace-level type', path: () => '/w/contoso-msp/operations/fan-out', fields: { type: 'operations.bulk_cancel' } },
    { name: 'login form, oversized', path: () => '/login', fields: { email: 'x'.repeat(150_000), password: 'x' } },
    { name: 'password form, wrong current password', path: () => '/account/password', fields: { current_password: SQL, new_password: SCRIPT, confirm_password: SCRIPT } },
    { name: 'password form, array and unknown fields', path: () => '/account/password', fields: { current_password: ['a', 'b'], new_password: 'x', role: 'owner' } },
    { name: 'password form, oversized', path: () => '/account/password', fields: { current_password: 'x'.repeat(90_000), new_password: 'y', confirm_password: 'y' } },
    { name: 'token form, hostile lifetime', path: () => '/account/tokens', fields: { name: SCRIPT, expires_in_days: SQL } },
    { name: 'token form, array name', path: () => '/account/tokens', fields: { name: ['a', 'b'], user_id: SQL } },
    { name: 'token form, blank name', path: () => '/account/tokens', fields: { name: '   ' } },
    { name: 'revoke form, hostile id', path: () => `/account/tokens/${encodeURIComponent(SQL)}/revoke`, fields: { id: SCRIPT } },
    { name: 'revoke form, unknown id', path: () => `/account/tokens/${NIL_UUID}/revoke`, fields: {} },
    { name: 'invite form, hostile fields', path: () => '/w/contoso-msp/members', fields: { email: SCRIPT, role: SQL, scope: SCRIPT, environments: [SQL, SCRIPT] } },
    { name: 'invite form, hostile environments', path: () => '/w/contoso-msp/members', fields: { email: 'hostile@opsdeck.test', role: 'readonly', scope: 'chosen', environments: [SQL, SCRIPT] } },
    { name: 'invite form, array email and unknown field', path: () => '/w/contoso-msp/members', fields: { email: ['a@b.c', 'd@e.f'], role: 'owner', scope: 'all', user_id: SQL } },
    { name: 'invite form, oversized email', path: () => '/w/contoso-msp/members', fields: { email: `${'x'.repeat(90_000)}@opsdeck.test`, role: 'readonly', scope: 'all' } },
    { name: 'member form, hostile id', path: () => `/w/contoso-msp/members/${encodeURIComponent(SQL)}`, fields: { role: 'owner', scope: 'all' } },
    { name: 'member form, unknown member', path: () => `/w/contoso-msp/members/${NIL_UUID}`, fields: { role: SCRIPT, scope: SQL } },
    { name: 'member remove form, hostile id', path: () => `/w/contoso-msp/members/${encodeURIComponent(SCRIPT)}/remove`, fields: {} },
    { name: 'invitation revoke form, hostile id', path: () => `/w/contoso-msp/members/invitations/${encodeURIComponent(SQL)}/revoke`, fields: { id: SCRIPT } },
    { name: 'invitation revoke form, unknown id', path: () => `/w/contoso-msp/members/invitations/${NIL_UUID}/revoke`, fields: {} },
    { name: 'invitation revoke form, hostile workspace', path: () => `/w/${encodeURIComponent(SCRIPT)}/members/invitations/${NIL_UUID}/revoke`, fields: {} },
    { name: 'invitation form, hostile token', path: () => `/invite/${encodeURIComponent(SQL)}`, fields: { display_name: SCRIPT, password: SQL, confirm_password: SQL } },
    { name: 'new workspace form, not a platform admin', path: () => '/workspaces', fields: { slug: SCRIPT, name: SQL } },
    { name: 'new workspace form, array fields', path: () => '/workspaces', fields: { slug: ['a', 'b'], name: ['c'], owner: SQL } },
    { name: 'rename form, array name', path: () => '/w/contoso-msp/settings/name', fields: { name: ['a', 'b'], slug: SQL } },
    { name: 'rename form, blank name', path: () => '/w/contoso-msp/settings/name', fields: { name: '   ' } },
    { name: 'rename form, oversized name', path: () => '/w/contoso-msp/settings/name', fields: { name: SCRIPT.repeat(50) } },
    { name: 'rename form, hostile workspace', path: () => `/w/${encodeURIComponent(SCRIPT)}/settings/name`, fields: { name: 'x' } },
    { name: 'setup form once users exist', path: () => '/setup', fields: { token: SQL, email: SCRIPT, password: SQL } },
    { name: 'environment create form, hostile fields', path: () => '/w/contoso-msp/settings/environments', fields: { slug: SQL, display_name: SCRIPT, provider_kind: SCRIPT } },
    { name: 'environment create form, array and unknown fields', path: () => '/w/contoso-msp/settings/environments', fields: { slug: ['a', 'b'], display_name: 'x', provider_kind: 'fixture', archived: 'yes' } },
    { name: 'environment create form, unknown provider', path: () => '/w/contoso-msp/settings/environments', fields: { slug: 'abuse-env', display_name: SCRIPT, provider_kind: SCRIPT } },
    { name: 'environment create form, duplicate slug', path: () => '/w/contoso-msp/settings/environments', fields: { slug: 'contoso-hq', display_name: SCRIPT, provider_kind: 'fixture' } },
    { name: 'environment rename form, hostile environment', path: () => `/w/contoso-msp/settings/environments/${encodeURIComponent(SQL)}`, fields: { display_name: SCRIPT } },
    { name: 'environment rename form, blank name', path: () => '/w/contoso-msp/settings/environments/contoso-hq', fields: { display_name: '   ' } },
    { name: 'environment rename form, oversized name', path: () => '/w/contoso-msp/settings/environments/contoso-hq', fields: { display_name: 'x'.repeat(5000), slug: SCRIPT } },
    { name: 'environment archive form, hostile environment', path: () => `/w/contoso-msp/settings/environments/${encodeURIComponent(SCRIPT)}/archive`, fields: {} },
    { name: 'environment restore form, hostile workspace', path: () => `/w/${encodeURIComponent(SQL)}/settings/environments/contoso-hq/restore`, fields: {} },
  ];
  it.each(FORMS.map((f) => [f.name, f] as const))('%s', async (_n, form) => {
    const res = await http()
      .post(form.path(ids))
      .set('Cookie', session)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf, ...form.fields });
    expectClear4xx(res);
    expect(res.type).toBe('text/html');
  });

  /** Page routes fed hostile path segments and query values: a 4xx page, escaped, never a 500. */
  const PAGES = ['/w/{x}', '/w/contoso-msp/e/{x}', '/w/contoso-msp/operations?tab={x}', '/w/contoso-msp/operations?cursor={x}', '/operations/{x}', '/operations/{x}/cancel', '/operations/{x}/children', '/w/contoso-msp/operations/bulk/{x}', '/w/contoso-msp/operations/bulk/cancel?tab={x}', '/w/contoso-msp/operations/fan-out?type={x}', '/w/contoso-msp/baselines/{x}', '/w/contoso-msp/audit?cursor={x}', '/w/{x}/members', '/invite/{x}', '/w/{x}/settings', '/setup?token={x}', '/w/{x}/settings/environments'];
  const pageCells = PAGES.flatMap((p) => [SQL, SCRIPT, 'not-a-uuid'].map((v) => [p, v.slice(0, 20), p.replace('{x}', encodeURIComponent(v))] as const));
  it.each(pageCells)('page %s with %s', async (_p, _v, url) => {
    const res = await http().get(url).set('Cookie', session).set('Accept', 'text/html');
    expectClear4xx(res);
    expect(res.type).toBe('text/html');
  });
});
