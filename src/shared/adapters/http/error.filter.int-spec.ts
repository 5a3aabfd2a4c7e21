import { Controller, ForbiddenException, Get, Logger, Module } from '@nestjs/common';
import request from 'supertest';
import { startTestApp, TestApp } from '../../../../test/support/test-app';

/** Routes that fail the ways real handlers can: a bug (plain Error) and a refusal. */
@Controller('test-errors')
class FailingController {
  @Get('bug')
  bug(): never {
    throw new Error('secret detail: connection string postgres://admin:hunter2@db');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('Your role in this workspace does not allow this.');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

describe('error responses at the HTTP edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], imports: [FailingModule] });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t?.close());

  it('answers malformed JSON with a clear 400, not the parser text', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
      .set('Content-Type', 'application/json')
      .send('{"type": inventory.sync');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'malformed_json', message: 'The request body is not valid JSON.' } });
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ type: 'inventory.sync', input: { blob: 'x'.repeat(200_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('renders a bug as an error page for browsers: no stack, no detail, logged on the server', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = await request(t.app.getHttpServer()).get('/test-errors/bug').set('Accept', 'text/html');
    expect(res.status).toBe(500);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('Something went wrong');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toMatch(/at [\w.<>]+ \(.*:\d+:\d+\)/);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('secret detail'));
  });

  it('answers the same bug as JSON to API clients, equally bare', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = await request(t.app.getHttpServer()).get('/test-errors/bug').set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side. The error was logged.' } });
  });

  it('renders 403 and 404 pages with the same statuses as the API', async () => {
    const forbidden = await request(t.app.getHttpServer()).get('/test-errors/forbidden').set('Accept', 'text/html');
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('Not allowed');
    expect(forbidden.text).toContain('Your role in this workspace does not allow this.');
    const missing = await request(t.app.getHttpServer()).get('/no/such/page').set('Accept', 'text/html');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Page not found');
    expect(missing.text).toContain('This page does not exist, or you do not have access to it.');
  });
});
