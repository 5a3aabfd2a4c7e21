import { DomainError } from '../../../shared/core/domain-error';
import { AccessControl } from './access-control';
import { NOT_FOUND_MESSAGE } from './rbac-errors';
import { AuthorizationPolicy, MembershipGrant } from './authorization-policy';
import { ALL_CAPABILITIES, Capability } from './capabilities';
import { EnvironmentRef, TenancyDirectory, WorkspaceRef } from './ports/tenancy-directory.port';

const contoso: WorkspaceRef = { id: 'ws-c', slug: 'contoso-msp', name: 'Contoso' };
const tailspin: WorkspaceRef = { id: 'ws-t', slug: 'tailspin-msp', name: 'Tailspin' };
const envs: EnvironmentRef[] = [
  { id: 'env-hq', workspaceId: 'ws-c', slug: 'contoso-hq', displayName: 'HQ' },
  { id: 'env-nw', workspaceId: 'ws-c', slug: 'northwind', displayName: 'Northwind' },
];

const tenancy: TenancyDirectory = {
  findWorkspaceBySlug: async (slug) => [contoso, tailspin].find((w) => w.slug === slug) ?? null,
  findEnvironmentBySlug: async (ws, slug) => envs.find((e) => e.workspaceId === ws && e.slug === slug) ?? null,
  findWorkspacesByIds: async (ids) => [contoso, tailspin].filter((w) => ids.includes(w.id)),
  findEnvironmentsByIds: async (ids) => envs.filter((e) => ids.includes(e.id)),
};

const grantsByUser: Record<string, MembershipGrant[]> = {
  operator: [{ workspaceId: 'ws-c', role: 'operator', environmentIds: ['env-hq'] }],
  owner: [{ workspaceId: 'ws-c', role: 'owner', environmentIds: 'all' }],
};

const policy = new AuthorizationPolicy({
  owner: new Set(ALL_CAPABILITIES),
  manager: new Set(ALL_CAPABILITIES),
  operator: new Set<Capability>(['operations.view', 'inventory.sync']),
  readonly: new Set<Capability>(['operations.view']),
});
const access = new AccessControl({ grantsOf: async (id) => grantsByUser[id] ?? [] }, tenancy, policy);

async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a rejection');
}

describe('AccessControl', () => {
  it('resolves a member workspace with its scope and capabilities', async () => {
    const ws = await access.workspace('operator', 'contoso-msp');
    expect(ws.workspace).toEqual(contoso);
    expect(ws.scope).toEqual({ allEnvironments: false, environmentIds: ['env-hq'] });
    expect(ws.capabilities).toEqual(['operations.view', 'inventory.sync']);
  });

  it('answers the same not_found for an unknown workspace and a foreign one', async () => {
    const foreign = await errorOf(access.workspace('operator', 'tailspin-msp'));
    const unknown = await errorOf(access.workspace('operator', 'no-such-msp'));
    for (const e of [foreign, unknown]) {
      expect(e).toBeInstanceOf(DomainError);
      expect({ code: e.code, kind: e.kind, message: e.message }).toEqual({ code: 'not_found', kind: 'not_found', message: NOT_FOUND_MESSAGE });
    }
  });

  it('answers the same not_found for an unknown environment and a hidden one', async () => {
    const ws = await access.workspace('operator', 'contoso-msp');
    expect((await access.environment(ws, 'contoso-hq')).id).toBe('env-hq');
    const hidden = await errorOf(access.environment(ws, 'northwind'));
    const unknown = await errorOf(access.environment(ws, 'atlantis'));
    expect([hidden.message, unknown.message]).toEqual([NOT_FOUND_MESSAGE, NOT_FOUND_MESSAGE]);
    expect([hidden.kind, unknown.kind]).toEqual(['not_found', 'not_found']);
  });

  it('require throws forbidden in scope and not_found out of scope', async () => {
    const grants = await access.grantsOf('operator');
    expect(() => access.require(grants, { workspaceId: 'ws-c', environmentId: 'env-hq', capability: 'inventory.sync' })).not.toThrow();
    expect(() => access.require(grants, { workspaceId: 'ws-c', environmentId: 'env-hq', capability: 'audit.view' })).toThrow(
      expect.objectContaining({ kind: 'forbidden', code: 'forbidden' }),
    );
    expect(() => access.require(grants, { workspaceId: 'ws-c', environmentId: 'env-nw', capability: 'audit.view' })).toThrow(
      expect.objectContaining({ kind: 'not_found', message: NOT_FOUND_MESSAGE }),
    );
  });
});
