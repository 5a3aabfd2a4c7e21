import { hashApiToken } from '../../core/api-token';
import { ApiTokenRepository } from '../../core/ports/api-token.repository.port';
import { seedDemoScope, DemoScope } from '../../../../../test/support/seed';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';

describe('API token authentication in one statement (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let tokens: ApiTokenRepository;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    tokens = t.get<ApiTokenRepository>(ApiTokenRepository);
  });
  afterAll(() => t?.close());

  const lastUsed = async (id: string) =>
    (await t.db.query<{ last_used_at: Date | null }>('select last_used_at from api_tokens where id = $1', [id]))[0].last_used_at;

  it('returns the owner and records the use, at most once a minute', async () => {
    const { id, token } = await tokens.create(scope.userIds.viewer, 'auth test');
    expect(await lastUsed(id)).toBeNull();
    const found = await tokens.authenticate(hashApiToken(token));
    const { grants = [], ...identity } = found!;
    expect(identity).toEqual({ tokenId: id, user: { id: scope.userIds.viewer, email: 'viewer@opsdeck.test', displayName: 'Vera Viewer' } });
    // The user's grants come with the token, each with its workspace row and environment-list version.
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((g) => !!g.workspace && g.workspace.id === g.workspaceId && /^\d+$/.test(g.environmentsVersion ?? ''))).toBe(true);
    const first = await lastUsed(id);
    expect(first).not.toBeNull();
    await tokens.authenticate(hashApiToken(token));
    expect(await lastUsed(id)).toEqual(first);
    // An old use is refreshed.
    await t.db.query(`update api_tokens set last_used_at = now() - interval '2 minutes' where id = $1`, [id]);
    await tokens.authenticate(hashApiToken(token));
    expect((await lastUsed(id))!.getTime()).toBeGreaterThan(Date.now() - 30_000);
  });

  it('answers null for unknown and revoked tokens, and records nothing', async () => {
    const { id, token } = await tokens.create(scope.userIds.owner, 'revoked');
    expect(await tokens.revoke(id)).toBe(true);
    expect(await tokens.authenticate(hashApiToken(token))).toBeNull();
    expect(await lastUsed(id)).toBeNull();
    expect(await tokens.authenticate(hashApiToken('odk_unknown'))).toBeNull();
  });
});
