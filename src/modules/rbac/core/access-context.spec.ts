import { accessContext } from './access-context';

describe('accessContext', () => {
  const grants = [{ workspaceId: 'w1', role: 'operator', environmentIds: ['e1'] as string[] }];

  it('carries the identity and the grants it was resolved with', () => {
    const ctx = accessContext({ userId: 'u1', email: 'a@b.c', displayName: 'A', sessionCsrf: 'x' }, grants);
    expect(ctx).toEqual({ userId: 'u1', email: 'a@b.c', displayName: 'A', sessionCsrf: 'x', grants });
  });

  it('is immutable, and later changes to the source grants do not reach it', () => {
    const source = grants.map((g) => ({ ...g }));
    const ctx = accessContext({ userId: 'u1', email: 'a@b.c', displayName: 'A' }, source);
    source[0].role = 'owner';
    source.push({ workspaceId: 'w2', role: 'owner', environmentIds: ['e2'] });
    expect(ctx.grants).toEqual(grants);
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(Object.isFrozen(ctx.grants)).toBe(true);
    expect(() => ((ctx.grants[0] as { role: string }).role = 'owner')).toThrow(TypeError);
  });
});
