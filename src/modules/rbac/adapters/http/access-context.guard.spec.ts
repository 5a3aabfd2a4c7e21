import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { AccessControl } from '../../core/access-control';
import { AccessContextGuard } from './access-context.guard';
import { AccessRequest } from './request-access';

function contextOf(req: Partial<AccessRequest> & { principal?: unknown }): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe('AccessContextGuard', () => {
  const principal = { userId: 'u1', email: 'a@example.test', displayName: 'A', sessionCsrf: 'csrf' };
  const grants = [{ workspaceId: 'w1', role: 'operator', environmentIds: 'all' as const }];

  function guardWith(grantsOf: jest.Mock) {
    return new AccessContextGuard({ grantsOf } as unknown as AccessControl);
  }

  it("puts the principal's identity and grants on the request, read once", async () => {
    const grantsOf = jest.fn().mockResolvedValue(grants);
    const req: Record<string, unknown> = { principal };
    const guard = guardWith(grantsOf);
    await expect(guard.canActivate(contextOf(req))).resolves.toBe(true);
    await guard.canActivate(contextOf(req)); // a second guard pass (class + method) reuses it
    expect(grantsOf).toHaveBeenCalledTimes(1);
    expect(grantsOf).toHaveBeenCalledWith('u1');
    expect(req.access).toEqual({ ...principal, grants });
    expect(Object.isFrozen(req.access)).toBe(true);
  });

  it('refuses a request nobody authenticated (401), without reading grants', async () => {
    const grantsOf = jest.fn();
    await expect(guardWith(grantsOf).canActivate(contextOf({ principal: null }))).rejects.toBeInstanceOf(UnauthorizedException);
    expect(grantsOf).not.toHaveBeenCalled();
  });
});
