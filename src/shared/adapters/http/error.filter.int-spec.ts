import request from 'supertest';
import { startTestApp, TestApp } from '../../../../test/support/test-app';

describe('error responses at the HTTP edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
  });
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
});
