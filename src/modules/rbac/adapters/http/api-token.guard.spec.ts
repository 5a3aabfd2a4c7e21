import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { hashApiToken, newApiToken } from '../../core/api-token';
import { ApiTokenRepository } from '../../core/ports/api-token.repository.port';
import { ApiTokenGuard } from './api-token.guard';

const TOKEN = newApiToken();
const USER = { id: 'u-1', email: 'owner@opsdeck.test', displayName: 'Olivia Owner' };

class FakeTokens extends ApiTokenRepository {
  touched: string[] = [];
  lookedUp: string[] = [];
  async create(): Promise<{ id: string; token: string; createdAt: Date }> {
    throw new Error('unused');
  }
  async listOfUser(): Promise<never[]> {
    return [];
  }
  async revokeOfUser(): Promise<boolean> {
    return false;
  }
  async findActiveByHash(hash: string) {
    this.lookedUp.push(hash);
    return hash === hashApiToken(TOKEN) ? { id: 't-1', userId: USER.id } : null;
  }
  async authenticate(hash: string) {
    const found = await this.findActiveByHash(hash);
    if (!found || found.userId !== USER.id) return null;
    this.touched.push(found.id);
    return { tokenId: found.id, user: USER };
  }
  async revoke(): Promise<boolean> {
    return false;
  }
}

function contextFor(authorization?: string, principal: unknown = undefined) {
  const request: Record<string, unknown> = { headers: authorization ? { authorization } : {}, principal };
  const headers: Record<string, string> = {};
  const response = { setHeader: (k: string, v: string) => (headers[k] = v) };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, request, headers };
}

describe('ApiTokenGuard', () => {
  let tokens: FakeTokens;
  let guard: ApiTokenGuard;
  beforeEach(() => {
    tokens = new FakeTokens();
    guard = new ApiTokenGuard(tokens);
  });

  it('sets the principal from a valid bearer token and records its use', async () => {
    const { context, request } = contextFor(`Bearer ${TOKEN}`);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.principal).toEqual({ userId: USER.id, email: USER.email, displayName: USER.displayName, sessionCsrf: null });
    expect(tokens.touched).toEqual(['t-1']);
    expect(tokens.lookedUp).toEqual([hashApiToken(TOKEN)]);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('rejects %s with 401 and a hint', async (_name, header) => {
    const { context, headers } = contextFor(header);
    await expect(guard.canActivate(context)).rejects.toThrow(UnauthorizedException);
    await expect(guard.canActivate(context)).rejects.toThrow(/Authorization: Bearer/);
    expect(headers['WWW-Authenticate']).toMatch(/^Bearer/);
  });

  it('rejects malformed tokens without a database lookup, and unknown ones after it', async () => {
    await expect(guard.canActivate(contextFor('Bearer nope').context)).rejects.toThrow(/not valid/);
    expect(tokens.lookedUp).toEqual([]);
    await expect(guard.canActivate(contextFor(`Bearer ${newApiToken()}`).context)).rejects.toThrow(/not valid/);
    expect(tokens.lookedUp).toHaveLength(1);
    expect(tokens.touched).toEqual([]);
  });

  it('never lets a session principal through on the API', async () => {
    const { context, request } = contextFor(undefined, { userId: USER.id, sessionCsrf: 'x' });
    await expect(guard.canActivate(context)).rejects.toThrow(UnauthorizedException);
    expect(request.principal).toBeNull();
  });
});
