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

  it('an expired token authenticates nothing and records no use; one expiring later still works', async () => {
    const expired = await tokens.create(scope.userIds.operator, 'expired', new Date(Date.now() + 60_000));
    await t.db.query(`update api_tokens set expires_at = now() - interval '1 second' where id = $1`, [expired.id]);
    expect(await tokens.authenticate(hashApiToken(expired.token))).toBeNull();
    expect(await tokens.findActiveByHash(hashApiToken(expired.token))).toBeNull();
    expect(await lastUsed(expired.id)).toBeNull();
    const later = await tokens.create(scope.userIds.operator, 'later', new Date(Date.now() + 86_400_000));
    expect((await tokens.authenticate(hashApiToken(later.token)))?.tokenId).toBe(later.id);
  });

  it('lists a user\'s unrevoked tokens newest first without secrets, and revokes only the owner\'s', async () => {
    const a = await tokens.create(scope.userIds.outsider, 'first');
    const b = await tokens.create(scope.userIds.outsider, 'second', new Date('2030-01-01T00:00:00Z'));
    const listed = await tokens.listOfUser(scope.userIds.outsider);
    expect(listed.map((x) => x.id).slice(0, 2)).toEqual([b.id, a.id]);
    expect(listed[0]).toEqual({ id: b.id, name: 'second', createdAt: expect.any(Date), lastUsedAt: null, expiresAt: new Date('2030-01-01T00:00:00Z') });
    expect(await tokens.revokeOfUser(scope.userIds.owner, a.id)).toBe(false);
    expect(await tokens.revokeOfUser(scope.userIds.outsider, 'not-a-uuid')).toBe(false);
    expect(await tokens.revokeOfUser(scope.userIds.outsider, a.id)).toBe(true);
    expect(await tokens.revokeOfUser(scope.userIds.outsider, a.id)).toBe(false);
    expect((await tokens.listOfUser(scope.userIds.outsider)).map((x) => x.id)).not.toContain(a.id);
    expect(await tokens.authenticate(hashApiToken(a.token))).toBeNull();
  });
});
