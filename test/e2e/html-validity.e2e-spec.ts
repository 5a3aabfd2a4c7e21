import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { signInAs } from '../support/browser-session';
import { validateHtml } from '../support/html-validity';
import { mainPages, seedMainPages } from '../support/main-pages';
import { seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every main page, as the owner and as the limited operator (who meets 403 pages where the owner
 * does not), is valid HTML by html-validate's standard preset plus the Nu checker's rule that a
 * required single select starts with an empty placeholder option. A template change that breaks
 * either fails here with the page, the line and the rule.
 */
describe('HTML validity of the main pages', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  let pages: ReturnType<typeof mainPages>;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    const scope = await seedDemoScope(t);
    pages = mainPages(await seedMainPages(t, scope));
    for (const who of ['owner', 'operator']) {
      cookies[who] = await signInAs(t, DEMO_USERS.find((u) => u.key === who)!.email, scope.password);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['owner', 'operator'] as const)('every main page validates as %s', async (who) => {
    const problems: string[] = [];
    for (const page of pages) {
      const req = request(t.app.getHttpServer()).get(page.path).set('Accept', 'text/html');
      const res = await (page.anonymous ? req : req.set('Cookie', cookies[who]));
      expect([page.name, res.status, res.headers['content-type']]).toEqual([page.name, page.status[who], expect.stringMatching(/^text\/html/)]);
      for (const error of await validateHtml(res.text)) problems.push(`${page.name} (${page.path}, ${res.status}): ${error}`);
    }
    expect(problems).toEqual([]);
  });
});
