import SwaggerParser from '@apidevtools/swagger-parser';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { OPERATION_COMPLETED } from '../../src/shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../src/shared/core/audit-trail/audit-log.port';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { OpenApiContract } from '../support/openapi-contract';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The OpenAPI document at /api/docs-json: valid for a maintained validator, complete (every
 * operation documents its answers, error codes and headers), and true — the answers the API gives
 * validate against it. Every other e2e file checks its own API answers through the contract
 * wrapper around supertest (test/support/contract-supertest.ts); the last block proves that
 * wrapper fails a request whose answer departs from the document.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const W = '/api/v1/workspaces/contoso-msp';
/** The path (and query) a supertest answer was requested with. */
const pathOf = (res: request.Response): string => (res as unknown as { req: { path: string } }).req.path;

describe('OpenAPI document', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let document: Json;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    document = (await request(server()).get('/api/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  const operations = (): [string, string, Json][] =>
    Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => [method.toUpperCase(), path, operation as Json] as [string, string, Json]),
    );

  it('is valid OpenAPI 3.0 for swagger-parser (schema and references)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document.openapi).toMatch(/^3\.0\./);
  });

  it('names a server, an opaque bearer scheme (no JWT claim) and keeps no unused component schemas', () => {
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', description: expect.any(String) } });
    const text = JSON.stringify(document.paths);
    const unused = Object.keys(document.components.schemas).filter((name) => {
      const ref = `"#/components/schemas/${name}"`;
      const elsewhere = Object.entries(document.components.schemas).filter(([other]) => other !== name);
      return !text.includes(ref) && !elsewhere.some(([, schema]) => JSON.stringify(schema).includes(ref));
    });
    expect(unused).toEqual([]);
  });

  it('documents, for every operation, a body for each success, the error shape and its codes for each failure, and its headers', () => {
    const gaps: string[] = [];
    for (const [method, path, operation] of operations()) {
      const where = `${method} ${path}`;
      expect(operation.security).toEqual([{ bearer: [] }]);
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        const media = Object.keys(response.content ?? {});
        // 204 No Content is the one success without a body (DELETE /api/v1/me/tokens/:id).
        if (media.length === 0 && status !== '204') gaps.push(`${where} ${status}: no body documented`);
        if (response.headers?.['Cache-Control']?.schema?.enum?.[0] !== 'no-store') gaps.push(`${where} ${status}: no Cache-Control`);
        if (Number(status) < 400) continue;
        const error = response.content?.['application/json']?.schema?.properties?.error;
        if (!Array.isArray(error?.properties?.code?.enum) || error.properties.code.enum.length === 0) {
          gaps.push(`${where} ${status}: error codes not listed`);
        }
      }
      if (!operation.responses['401']) gaps.push(`${where}: 401 not documented`);
      if (!Object.keys(operation.responses).some((s) => s.startsWith('2'))) gaps.push(`${where}: no success documented`);
    }
    expect(gaps).toEqual([]);
  });

  it('the Markdown download is text/markdown for 200 and the JSON error shape otherwise', () => {
    const responses = document.paths['/api/v1/workspaces/{workspace}/environments/{environment}/reviews/{id}.md'].get.responses;
    expect(Object.keys(responses['200'].content)).toEqual(['text/markdown']);
    for (const status of ['400', '401', '403', '404']) expect(Object.keys(responses[status].content)).toEqual(['application/json']);
  });

  it('documents personal tokens: the create answer carries the token, the list never does, revoke is a bodiless 204', () => {
    const schemas = document.components.schemas;
    const tokens = document.paths['/api/v1/me/tokens'];
    const created = tokens.post.responses['201'].content['application/json'].schema;
    expect(schemas[created.$ref.split('/').pop()].properties.token).toBeDefined();
    const listed = schemas[tokens.get.responses['200'].content['application/json'].schema.$ref.split('/').pop()];
    const item = schemas[listed.properties.items.items.$ref.split('/').pop()];
    expect(Object.keys(item.properties).sort()).toEqual(['created_at', 'expired', 'expires_at', 'id', 'last_used_at', 'name']);
    const revoke = document.paths['/api/v1/me/tokens/{id}'].delete.responses;
    expect(revoke['204'].content).toBeUndefined();
    expect(revoke['404'].content['application/json'].schema.properties.error.properties.code.enum).toEqual(['not_found']);
  });

    it('describes a 503 dispatch_failed with the run it recorded', () => {
    const failed = document.paths['/api/v1/workspaces/{workspace}/environments/{environment}/operations'].post.responses['503'];
    const error = failed.content['application/json'].schema.properties.error;
    expect(error.properties.code.enum).toEqual(['dispatch_failed']);
    expect(error.required).toContain('run_id');
    expect(error.properties.run_id).toMatchObject({ type: 'string', format: 'uuid' });
  });

  describe('null where the API sends null validates', () => {
    it('a system run without a related artifact (initiator and related are null)', async () => {
      const id = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], type: 'inventory.sync', status: 'completed' });
      const res = await request(server()).get(`/api/v1/operations/${id}`).set(personas.auth('owner')).expect(200);
      expect(res.body).toMatchObject({ initiator: null, related: null, reconciliation: null });
      expect(problemsOf(res, 'GET')).toEqual([]);
    });

    it('a workspace-level run (environment is null) in the list', async () => {
      await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: null, type: 'inventory.sync', status: 'completed' });
      const res = await request(server()).get(`${W}/operations`).set(personas.auth('owner')).expect(200);
      expect(res.body.items.some((run: Json) => run.environment === null)).toBe(true);
      expect(problemsOf(res, 'GET')).toEqual([]);
    });

    it('a workspace-level audit event (environment is null)', async () => {
      await t.get<AuditLog>(AUDIT_LOG).record({
        actorUserId: null,
        actorLabel: 'system',
        workspaceId: scope.workspaceId,
        environmentId: null,
        action: OPERATION_COMPLETED,
        subjectType: 'operation_run',
        subjectId: 'workspace-level',
      });
      const res = await request(server()).get(`${W}/audit`).set(personas.auth('owner')).expect(200);
      expect(res.body.items.some((event: Json) => event.environment === null && event.actor.id === null)).toBe(true);
      expect(problemsOf(res, 'GET')).toEqual([]);
    });

    function problemsOf(res: request.Response, method: string): string[] {
      return new OpenApiContract(document).problemsWith({
        method,
        path: pathOf(res),
        status: res.status,
        headers: res.headers,
        body: res.body,
        text: res.text,
      });
    }
  });

  it('sends Cache-Control: no-store on every API answer, errors included (tenant data)', async () => {
    const run = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], type: 'inventory.sync', status: 'completed' });
    const owner = personas.auth('owner');
    const calls: [string, Record<string, string>][] = [
      ['/api/v1/me', owner],
      ['/api/v1/me/tokens', owner],
      ['/api/v1/workspaces', owner],
      [`${W}/environments`, owner],
      [`${W}/operations`, owner],
      [`/api/v1/operations/${run}`, owner],
      [`${W}/baselines`, owner],
      [`${W}/environments/contoso-hq/reviews`, owner],
      [`${W}/audit`, owner],
      ['/api/v1/me', {}],
      [`/api/v1/operations/${run}`, personas.auth('outsider')],
      [`${W}/operations?sort=asc`, owner],
      ['/api/v1/no-such-route', owner],
    ];
    const answers: request.Response[] = [];
    for (const [path, headers] of calls) answers.push(await request(server()).get(path).set(headers));
    expect(answers.map((res) => [pathOf(res), res.status, res.headers['cache-control']])).toEqual(
      answers.map((res) => [pathOf(res), res.status, 'no-store']),
    );
  });
});

describe('the contract wrapper around supertest', () => {
  let t: TestApp;
  let document: string;
  let fake: Server;
  let answer: { status: number; type: string; body: string; headers?: Record<string, string> };

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    document = (await request(t.app.getHttpServer()).get('/api/docs-json').expect(200)).text;
    // A server that serves the real document but answers /api/v1 with whatever a test sets.
    fake = createServer((req, res) => {
      if (req.url === '/api/docs-json') return res.writeHead(200, { 'Content-Type': 'application/json' }).end(document);
      res.writeHead(answer.status, { 'Content-Type': answer.type, 'Cache-Control': 'no-store', ...answer.headers }).end(answer.body);
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => fake?.close(resolve));
    await t?.close();
  });

  const me = { id: '6f1c3a52-8d3e-4b8e-9d7e-2f7a1c9b0e11', email: 'owner@opsdeck.test', display_name: 'Owner', platform_admin: false };
  const url = () => `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;

  it('lets a conforming answer through unchanged', async () => {
    answer = { status: 200, type: 'application/json', body: JSON.stringify(me) };
    const res = await request(url()).get('/api/v1/me');
    expect(res.body).toEqual(me);
  });

  it.each([
    ['a field the document does not name', 200, { ...me, is_admin: true }, /must NOT have additional properties "is_admin"/],
    ['a missing required field', 200, { id: me.id, email: me.email }, /must have required property 'display_name'/],
    ['a field of the wrong type', 200, { ...me, email: 42 }, /\/email must be string/],
    ['an undocumented status', 500, { error: { code: 'internal_error', message: 'x' } }, /status 500 is not documented for GET \/api\/v1\/me/],
    ['an error code the operation does not list', 401, { error: { code: 'token_expired', message: 'x' } }, /\/error\/code must be equal to one of the allowed values/],
  ])('fails the request on %s', async (_name, status, body, problem) => {
    answer = { status, type: 'application/json', body: JSON.stringify(body), headers: { 'WWW-Authenticate': 'Bearer' } };
    await expect(request(url()).get('/api/v1/me')).rejects.toThrow(problem);
  });

  it('fails the request on a missing documented header and on a route the document does not have', async () => {
    answer = { status: 200, type: 'application/json', body: JSON.stringify(me), headers: { 'Cache-Control': 'public, max-age=60' } };
    await expect(request(url()).get('/api/v1/me')).rejects.toThrow(/header Cache-Control: "public, max-age=60" \(root\) must be equal to one of the allowed values/);
    answer = { status: 200, type: 'application/json', body: '{}' };
    await expect(request(url()).get('/api/v1/secrets')).rejects.toThrow(/GET \/api\/v1\/secrets is not in the OpenAPI document, yet answered 200/);
  });

  it('fails a test that only asserts the status (the contract is checked whatever the test expects)', async () => {
    answer = { status: 200, type: 'application/json', body: JSON.stringify({ ...me, is_admin: true }) };
    await expect(request(url()).get('/api/v1/me').expect(200)).rejects.toThrow(/OpenAPI contract: GET \/api\/v1\/me → 200/);
  });
});
