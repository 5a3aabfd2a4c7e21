import request from 'supertest';
import { firstRunAnnouncement } from '../../src/modules/rbac/adapters/boot/first-run-announcement';
import { issueDemoTokens } from '../support/api-personas';
import { hiddenField, signInAs } from '../support/browser-session';
import { seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * PUBLIC_URL: links handed out of band (the first-run setup link in the boot log, an invitation
 * link from the API or the members page) are whole URLs under it — a path in an email or a chat
 * message opens nothing. The path part still opens the page (a proxy strips the prefix).
 */
describe('PUBLIC_URL makes out-of-band links whole', () => {
  let t: TestApp;
  const BASE = 'https://opsdeck.example.com/msp';
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], env: { PUBLIC_URL: `${BASE}/` } });
  });
  afterAll(() => t?.close());

  it('the first-run line names PUBLIC_URL, not the listening address', async () => {
    const line = await firstRunAnnouncement(t.app, 'http://127.0.0.1:3999');
    const url = /open (\S+) to create/.exec(line ?? '')?.[1] ?? '';
    expect(url).toMatch(new RegExp(`^${BASE.replace(/[./]/g, '\\$&')}/setup\\?token=[A-Za-z0-9_-]{43}$`));
    await http().get(new URL(url).pathname.replace('/msp', '') + new URL(url).search).set('Accept', 'text/html').expect(200);
  });

  it('an invitation from the API and from the members page carries a whole URL whose path opens the invitation', async () => {
    const scope = await seedDemoScope(t);
    const api = await issueDemoTokens(t.db, scope);
    const res = await http()
      .post('/api/v1/workspaces/contoso-msp/members')
      .set(api.auth('owner'))
      .send({ email: 'far-away@opsdeck.test', role: 'readonly', environments: ['contoso-hq'] })
      .expect(201);
    const url: string = res.body.invitation_url;
    expect(url).toMatch(/^https:\/\/opsdeck\.example\.com\/msp\/invite\/[A-Za-z0-9_-]{43}$/);
    await http().get(url.slice(BASE.length)).set('Accept', 'text/html').expect(200);

    const session = await signInAs(t, 'owner@opsdeck.test', scope.password);
    const members = await http().get('/w/contoso-msp/members').set('Cookie', session).set('Accept', 'text/html').expect(200);
    const created = await http()
      .post('/w/contoso-msp/members')
      .set('Cookie', session)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: hiddenField(members.text, '_csrf'), email: 'paged-far@opsdeck.test', role: 'readonly', scope: 'all' })
      .expect(201);
    expect(created.text).toMatch(/https:\/\/opsdeck\.example\.com\/msp\/invite\/[A-Za-z0-9_-]{43}/);
  });
});
