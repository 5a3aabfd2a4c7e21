import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';
import { cliNodeArgs } from '../support/cli-entry';

/**
 * Identity administration through the real CLI (child processes against real PostgreSQL):
 * user:create, member:add (limited, then re-roled), token:create, token:list, token:revoke,
 * member:remove, invitation:revoke. Thirteen invocations in all — each pays a few seconds of
 * ts-node startup.
 */
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const EMAIL = 'Oscar.Operator@Example.test';
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let db: TestDatabase;

function cli(args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `opsdeck_test_${process.pid}_rbac_cli_${randomBytes(4).toString("hex")}`,
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      cliNodeArgs(args),
      { cwd: ROOT, env, timeout: 90_000 },
      (error, stdout, stderr) => {
        if (error && (error.killed || typeof error.code !== 'number')) {
          reject(new Error(`cli ${args.join(' ')} did not exit normally (${error.message})\nstderr:\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as unknown as number) : 0, stdout, stderr });
      },
    );
  });
}

function expectExit(result: CliResult, code: number): void {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual(expect.objectContaining({ code }));
}

const lastLine = (output: string) => output.trimEnd().split('\n').pop() ?? '';

async function membership(): Promise<{ role: string; all_environments: boolean; environments: string[] }[]> {
  return db.query(
    `select m.role, m.all_environments,
            coalesce(array(select e.slug from membership_environments me
                             join managed_environments e on e.id = me.environment_id
                            where me.membership_id = m.id order by e.slug), '{}') as environments
       from memberships m join users u on u.id = m.user_id where lower(u.email) = lower($1)`,
    [EMAIL],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  const [ws] = await db.query<{ id: string }>(`insert into workspaces (slug, name) values ('contoso-msp', 'Contoso MSP') returning id`);
  await db.query(
    `insert into managed_environments (workspace_id, slug, display_name)
     values ($1, 'contoso-hq', 'Contoso HQ'), ($1, 'fabrikam', 'Fabrikam'), ($1, 'northwind', 'Northwind')`,
    [ws.id],
  );
});

afterAll(async () => {
  await db?.drop();
});

describe('npm run cli -- user:create / member:add / token:create', () => {
  it('creates a user with a bcrypt hash, then adds them limited to two environments', async () => {
    const created = await cli(['user:create', '--email', EMAIL, '--password', 'a long password', '--name', 'Oscar Operator']);
    expectExit(created, 0);
    expect(lastLine(created.stdout)).toMatch(/^Created user Oscar\.Operator@Example\.test \(Oscar Operator\), id [0-9a-f-]{36}\.$/);
    const [user] = await db.query<{ email: string; display_name: string; password_hash: string }>(
      'select email, display_name, password_hash from users',
    );
    expect(user).toMatchObject({ email: EMAIL, display_name: 'Oscar Operator' });
    expect(user.password_hash).toMatch(/^\$2[aby]\$04\$/);

    const added = await cli(['member:add', '--email', 'oscar.operator@example.test', '--workspace', 'contoso-msp', '--role', 'operator', '--environments', 'contoso-hq,fabrikam']);
    expectExit(added, 0);
    expect(lastLine(added.stdout)).toBe('Added oscar.operator@example.test as operator of contoso-msp (environments contoso-hq, fabrikam).');
    expect(await membership()).toEqual([{ role: 'operator', all_environments: false, environments: ['contoso-hq', 'fabrikam'] }]);
  });

  describe('then, side by side', () => {
    let roleChange: Promise<CliResult>;
    let unknownEnvironment: Promise<CliResult>;
    let token: Promise<CliResult>;

    beforeAll(() => {
      const launch = (args: string[]) => {
        const p = cli(args);
        p.catch(() => undefined); // awaited (and reported) by its own test
        return p;
      };
      roleChange = launch(['member:add', '--email', EMAIL, '--workspace', 'contoso-msp', '--role', 'manager']);
      unknownEnvironment = launch(['member:add', '--email', EMAIL, '--workspace', 'contoso-msp', '--role', 'readonly', '--environments', 'contoso-hq,atlantis']);
      token = launch(['token:create', '--email', EMAIL, '--name', 'ci pipeline']);
    });

    it('member:add again replaces the role, and without --environments covers every environment', async () => {
      const result = await roleChange;
      expectExit(result, 0);
      expect(lastLine(result.stdout)).toBe(`Updated ${EMAIL} as manager of contoso-msp (all environments).`);
      await unknownEnvironment; // it must not have changed anything either
      expect(await membership()).toEqual([{ role: 'manager', all_environments: true, environments: [] }]);
    });

    it('names an environment that is not in the workspace and changes nothing', async () => {
      const result = await unknownEnvironment;
      expectExit(result, 1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe('Environment "atlantis" was not found in workspace "contoso-msp".');
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });

    it('token:create prints the token alone on the last line; only its sha256 is stored', async () => {
      const result = await token;
      expectExit(result, 0);
      const secret = lastLine(result.stdout);
      expect(secret).toMatch(/^odk_[A-Za-z0-9_-]{43}$/);
      const rows = await db.query<{ name: string; token_hash: string; revoked_at: Date | null }>(
        'select name, token_hash, revoked_at from api_tokens',
      );
      expect(rows).toEqual([
        { name: 'ci pipeline', token_hash: createHash('sha256').update(secret).digest('hex'), revoked_at: null },
      ]);
      const dump = JSON.stringify(await db.query('select * from api_tokens')) + JSON.stringify(await db.query('select * from audit_events'));
      expect(dump).not.toContain(secret);
    });

    it('audits the membership changes and the token, attributed to the CLI', async () => {
      await Promise.allSettled([roleChange, unknownEnvironment, token]);
      const events = await db.query<{ action: string; actor_label: string }>(
        'select action, actor_label from audit_events order by id',
      );
      expect(events.map((e) => e.action).sort()).toEqual(['membership.added', 'membership.role_changed', 'token.created']);
      expect(new Set(events.map((e) => e.actor_label))).toEqual(new Set(['cli']));
    });
  });

  describe('then token:list and token:revoke', () => {
    it('lists the user\'s tokens as JSON without a secret, revokes one by id, and refuses an unknown id', async () => {
      const listed = await cli(['token:list', '--email', EMAIL]);
      expectExit(listed, 0);
      const { items } = JSON.parse(lastLine(listed.stdout)) as { items: { id: string; name: string; expires_at: string | null; expired: boolean }[] };
      expect(items).toEqual([
        { id: expect.any(String), name: 'ci pipeline', created_at: expect.any(String), last_used_at: null, expires_at: null, expired: false },
      ]);
      const [{ token_hash }] = await db.query<{ token_hash: string }>('select token_hash from api_tokens');
      expect(listed.stdout).not.toContain(token_hash);

      const [revoked, unknown] = await Promise.all([
        cli(['token:revoke', items[0].id]),
        cli(['token:revoke', '00000000-0000-4000-8000-000000000000']),
      ]);
      expectExit(revoked, 0);
      expect(lastLine(revoked.stdout)).toBe(`Revoked API token ${items[0].id}. It no longer authenticates.`);
      expect(await db.query('select revoked_at is not null as revoked from api_tokens')).toEqual([{ revoked: true }]);
      expectExit(unknown, 1);
      expect(unknown.stderr.trim()).toBe('No active API token with id "00000000-0000-4000-8000-000000000000".');
      expect(unknown.stderr).not.toMatch(STACK_FRAME);
      const events = await db.query<{ action: string; actor_label: string }>(`select action, actor_label from audit_events where action = 'token.revoked'`);
      expect(events).toEqual([{ action: 'token.revoked', actor_label: 'cli' }]);
    });
  });

  describe('then member:remove', () => {
    it('removes the member (audited to the CLI); a second, concurrent removal finds no membership and says so', async () => {
      const [a, b] = await Promise.all([
        cli(['member:remove', '--email', EMAIL, '--workspace', 'contoso-msp']),
        cli(['member:remove', '--email', EMAIL, '--workspace', 'contoso-msp']),
      ]);
      const [removed, refused] = a.code === 0 ? [a, b] : [b, a];
      expectExit(removed, 0);
      expect(lastLine(removed.stdout)).toBe(`Removed ${EMAIL} from contoso-msp.`);
      expectExit(refused, 1);
      expect(refused.stderr.trim()).toBe(`${EMAIL} is not a member of workspace "contoso-msp".`);
      expect(refused.stderr).not.toMatch(STACK_FRAME);
      expect(await membership()).toEqual([]);
      const events = await db.query<{ actor_label: string }>(`select actor_label from audit_events where action = 'membership.removed'`);
      expect(events).toEqual([{ actor_label: 'cli' }]);
    });
  });

  describe('then invitation:revoke', () => {
    it('revokes a pending invitation acting as an owner (audited to them); a concurrent second revoke and a member without members.manage are refused', async () => {
      const [ws] = await db.query<{ id: string }>(`select id from workspaces where slug = 'contoso-msp'`);
      const user = async (email: string, role: string) => {
        const [row] = await db.query<{ id: string }>(`insert into users (email, display_name, password_hash) values ($1, $1, 'x') returning id`, [email]);
        await db.query(`insert into memberships (user_id, workspace_id, role) values ($1, $2, $3)`, [row.id, ws.id, role]);
        return row.id;
      };
      const ownerId = await user('rita.revoker@example.test', 'owner');
      await user('rudi.reader@example.test', 'readonly');
      const [invitation] = await db.query<{ id: string }>(
        `insert into membership_invitations (workspace_id, email, role, token_hash, expires_at)
         values ($1, 'ivy.invitee@example.test', 'operator', md5(random()::text), now() + interval '7 days') returning id`,
        [ws.id],
      );
      const revoke = (as: string) => cli(['invitation:revoke', '--workspace', 'contoso-msp', '--email', 'Ivy.Invitee@example.test', '--as', as]);
      const [a, b, reader] = await Promise.all([revoke('rita.revoker@example.test'), revoke('rita.revoker@example.test'), revoke('rudi.reader@example.test')]);

      const [revoked, again] = a.code === 0 ? [a, b] : [b, a];
      expectExit(revoked, 0);
      expect(lastLine(revoked.stdout)).toBe(`Revoked the invitation of ivy.invitee@example.test to contoso-msp (id ${invitation.id}). Its link no longer works.`);
      expectExit(again, 1);
      expect(again.stderr.trim()).toBe('Ivy.Invitee@example.test has no pending invitation to workspace "contoso-msp".');
      expectExit(reader, 1);
      expect(reader.stderr.trim()).toBe('Your role in this workspace does not allow this (it needs the "members.manage" capability).');
      for (const result of [again, reader]) expect(result.stderr).not.toMatch(STACK_FRAME);

      expect(await db.query(`select revoked_at is not null as revoked from membership_invitations where id = $1`, [invitation.id])).toEqual([{ revoked: true }]);
      const events = await db.query<{ actor_user_id: string; actor_label: string; subject_id: string }>(
        `select actor_user_id, actor_label, subject_id from audit_events where action = 'membership.invitation_revoked'`,
      );
      expect(events).toEqual([{ actor_user_id: ownerId, actor_label: 'rita.revoker@example.test', subject_id: invitation.id }]);
    });
  });
});
