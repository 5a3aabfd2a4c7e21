import { ALL_CAPABILITIES, Capability } from './capabilities';
import {
  authorize,
  AuthorizationPolicy,
  capabilitiesIn,
  isInScope,
  MembershipGrant,
  scopeFilter,
} from './authorization-policy';
import { RoleCapabilityMap } from './roles';

const WS = 'ws-1';
const OTHER_WS = 'ws-2';
const HQ = 'env-hq';
const FAB = 'env-fab';
const NW = 'env-nw';

const roles: RoleCapabilityMap = {
  owner: new Set(ALL_CAPABILITIES),
  manager: new Set(ALL_CAPABILITIES.filter((c) => c !== 'members.manage')),
  operator: new Set<Capability>(['operations.view', 'inventory.sync']),
  readonly: new Set<Capability>(['operations.view']),
};

const owner: MembershipGrant[] = [{ workspaceId: WS, role: 'owner', environmentIds: 'all' }];
const limitedOperator: MembershipGrant[] = [{ workspaceId: WS, role: 'operator', environmentIds: [HQ, FAB] }];
const readonly: MembershipGrant[] = [{ workspaceId: WS, role: 'readonly', environmentIds: 'all' }];

describe('authorize (deny-as-not-found)', () => {
  it('allows a member holding the capability in an entitled environment', () => {
    expect(authorize(owner, roles, { workspaceId: WS, environmentId: NW, capability: 'inventory.sync' })).toEqual({ allowed: true });
    expect(authorize(limitedOperator, roles, { workspaceId: WS, environmentId: HQ, capability: 'inventory.sync' })).toEqual({
      allowed: true,
    });
  });

  it('answers not_found to a non-member, whatever the capability', () => {
    for (const capability of ['operations.view', 'members.manage', 'nonsense']) {
      expect(authorize(owner, roles, { workspaceId: OTHER_WS, environmentId: HQ, capability })).toEqual({
        allowed: false,
        reason: 'not_found',
      });
    }
    expect(authorize([], roles, { workspaceId: WS, capability: 'operations.view' })).toEqual({ allowed: false, reason: 'not_found' });
  });

  it('answers not_found for an environment outside a limited membership, even without the capability', () => {
    expect(authorize(limitedOperator, roles, { workspaceId: WS, environmentId: NW, capability: 'inventory.sync' })).toEqual({
      allowed: false,
      reason: 'not_found',
    });
    expect(authorize(limitedOperator, roles, { workspaceId: WS, environmentId: NW, capability: 'audit.view' })).toEqual({
      allowed: false,
      reason: 'not_found',
    });
  });

  it('answers forbidden in scope without the capability (including unknown capabilities)', () => {
    expect(authorize(readonly, roles, { workspaceId: WS, environmentId: HQ, capability: 'inventory.sync' })).toEqual({
      allowed: false,
      reason: 'forbidden',
    });
    expect(authorize(limitedOperator, roles, { workspaceId: WS, environmentId: HQ, capability: 'operations.view_diagnostics' })).toEqual({
      allowed: false,
      reason: 'forbidden',
    });
    expect(authorize(owner, roles, { workspaceId: WS, capability: 'operations.teleport' })).toEqual({ allowed: false, reason: 'forbidden' });
  });

  it('workspace-level checks (no environment) only need membership', () => {
    expect(authorize(limitedOperator, roles, { workspaceId: WS, capability: 'operations.view' })).toEqual({ allowed: true });
  });

  it('workspace-level resources (environment null) are hidden from limited memberships', () => {
    expect(authorize(limitedOperator, roles, { workspaceId: WS, environmentId: null, capability: 'operations.view' })).toEqual({
      allowed: false,
      reason: 'not_found',
    });
    expect(authorize(readonly, roles, { workspaceId: WS, environmentId: null, capability: 'operations.view' })).toEqual({ allowed: true });
  });

  it('an unknown role grants nothing but still counts as membership (forbidden, not not_found)', () => {
    const odd: MembershipGrant[] = [{ workspaceId: WS, role: 'emperor', environmentIds: 'all' }];
    expect(authorize(odd, roles, { workspaceId: WS, environmentId: HQ, capability: 'operations.view' })).toEqual({
      allowed: false,
      reason: 'forbidden',
    });
    expect(capabilitiesIn(odd, roles, WS)).toEqual([]);
  });

  it('an empty environment list entitles to nothing', () => {
    const none: MembershipGrant[] = [{ workspaceId: WS, role: 'owner', environmentIds: [] }];
    expect(isInScope(none, WS, HQ)).toBe(false);
    expect(isInScope(none, WS)).toBe(true);
  });
});

describe('scopeFilter', () => {
  it('is null for non-members, all for unlimited memberships, the list otherwise', () => {
    expect(scopeFilter(owner, OTHER_WS)).toBeNull();
    expect(scopeFilter(owner, WS)).toEqual({ allEnvironments: true, environmentIds: [] });
    expect(scopeFilter(limitedOperator, WS)).toEqual({ allEnvironments: false, environmentIds: [HQ, FAB] });
  });

  it('returns a copy the caller cannot use to widen the grant', () => {
    const filter = scopeFilter(limitedOperator, WS)!;
    filter.environmentIds.push(NW);
    expect(isInScope(limitedOperator, WS, NW)).toBe(false);
  });
});

describe('AuthorizationPolicy', () => {
  it('binds the role map', () => {
    const policy = new AuthorizationPolicy(roles);
    expect(policy.authorize(readonly, { workspaceId: WS, environmentId: HQ, capability: 'operations.view' })).toEqual({ allowed: true });
    expect(policy.capabilitiesIn(readonly, WS)).toEqual(['operations.view']);
    expect(policy.scopeFilter(readonly, WS)).toEqual({ allEnvironments: true, environmentIds: [] });
  });
});
