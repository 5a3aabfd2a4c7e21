import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { runCli } from '../support/cli-entry';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';

/**
 * Issue 19's "done when", the API path: an empty production database taken to a workspace with an
 * environment, a member invitation and a successful run without SQL, the seed or a browser — the
 * CLI's admin:create and token:create, then the JSON API alone.
 */
jest.setTimeout(120_000);

const ADMIN = 'root@from-nothing.test';

describe('from an empty database to a team and a run, through the CLI and the API alone', () => {
  let db: TestDatabase;
  let t: TestApp;
  let queuePrefix: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    queuePrefix = `opsdeck_test_${process.pid}_from_nothing_${randomBytes(4).toString('hex')}`;
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  async function cli(args: string[]): Promise<string> {
    const env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queuePrefix, NODE_ENV: 'test', BCRYPT_COST: '4' };
    const run = await runCli(args, env);
    if (run.code !== 0) throw new Error(`cli ${args[0]} failed (${run.code}): ${run.stderr}`);
    return run.stdout;
  }

  it('admin:create and token:create, then workspace, environment, invitation and a run over HTTP', async () => {
    expect(await db.query('select count(*)::int as n from users')).toEqual([{ n: 0 }]);
    await cli(['admin:create', '--email', ADMIN, '--password', 'a long root password', '--name', 'Root']);
    const token = (await cli(['token:create', '--email', ADMIN, '--name', 'bootstrap'])).trim().split('\n').pop()!;
    const auth = { Authorization: `Bearer ${token}` };

    t = await startTestApp({ roles: ['web', 'worker'], database: db, queuePrefix });
    await http().post('/api/v1/workspaces').set(auth).send({ slug: 'acme-msp', name: 'Acme MSP' }).expect(201);
    // contoso-hq: the slug the bundled inventory fixture answers for.
    await http()
      .post('/api/v1/workspaces/acme-msp/environments')
      .set(auth)
      .send({ slug: 'contoso-hq', display_name: 'Contoso HQ', provider: { kind: 'fixture' } })
      .expect(201);
    const invited = await http()
      .post('/api/v1/workspaces/acme-msp/members')
      .set(auth)
      .send({ email: 'operator@acme.test', role: 'operator', environments: ['contoso-hq'] })
      .expect(201);
    expect(invited.body.invitation_url).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    const members = await http().get('/api/v1/workspaces/acme-msp/members').set(auth).expect(200);
    expect(members.body.items.map((m: { user: { email: string }; role: string }) => [m.user.email, m.role])).toEqual([[ADMIN, 'owner']]);
    expect(members.body.invitations).toEqual([expect.objectContaining({ email: 'operator@acme.test', role: 'operator', invited_by: expect.objectContaining({ email: ADMIN }) })]);

    const started = await http()
      .post('/api/v1/workspaces/acme-msp/environments/contoso-hq/operations')
      .set(auth)
      .send({ type: 'inventory.sync' })
      .expect(202);
    const id: string = started.body.run.id;
    let run: { status: string; outcome: string } = started.body.run;
    for (const deadline = Date.now() + 30_000; run.status !== 'completed' && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
      run = (await http().get(`/api/v1/operations/${id}`).set(auth).expect(200)).body;
    }
    expect(run).toMatchObject({ status: 'completed', outcome: 'succeeded' });
  });
});
