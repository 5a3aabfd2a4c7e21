import { thrown } from '../../../../test/support/domain-errors';
import { MembershipGrant } from './authorization-policy';
import { assertMayGrant, assertMayRemove, invitationExpiresAt, keepsAnOwner, roleRank } from './member-administration';

const grant = (role: string, environmentIds: 'all' | string[] = 'all'): MembershipGrant => ({ workspaceId: 'w', role, environmentIds });

describe('member administration rules', () => {
  it('orders roles owner > manager > operator > readonly, unknown roles last', () => {
    expect(['owner', 'manager', 'operator', 'readonly', 'admin'].map(roleRank)).toEqual([4, 3, 2, 1, -1]);
  });

  it('lets nobody grant a role above their own, nor change someone who holds one', () => {
    expect(() => assertMayGrant(grant('owner'), { role: 'owner', environmentIds: null })).not.toThrow();
    expect(() => assertMayGrant(grant('manager'), { role: 'manager', environmentIds: null })).not.toThrow();
    expect(thrown(() => assertMayGrant(grant('manager'), { role: 'owner', environmentIds: null }))).toMatchObject({
      code: 'role_above_yours',
      kind: 'forbidden',
    });
    const demoteOwner = { role: 'readonly' as const, environmentIds: null, current: { role: 'owner', environmentIds: null } };
    expect(thrown(() => assertMayGrant(grant('manager'), demoteOwner)).code).toBe('role_above_yours');
    expect(thrown(() => assertMayRemove(grant('operator'), { role: 'manager', environmentIds: null })).code).toBe('role_above_yours');
  });

  it('keeps a limited member inside their own environments, for grants and for whom they change', () => {
    const limited = grant('owner', ['hq', 'fab']);
    expect(() => assertMayGrant(limited, { role: 'operator', environmentIds: ['hq'] })).not.toThrow();
    expect(() => assertMayGrant(limited, { role: 'operator', environmentIds: ['hq'], current: { role: 'readonly', environmentIds: ['fab'] } })).not.toThrow();
    for (const change of [
      { role: 'operator' as const, environmentIds: null },
      { role: 'operator' as const, environmentIds: ['hq', 'north'] },
      { role: 'readonly' as const, environmentIds: ['hq'], current: { role: 'readonly', environmentIds: null } },
    ]) {
      expect(thrown(() => assertMayGrant(limited, change))).toMatchObject({ code: 'scope_outside_yours', kind: 'forbidden' });
    }
    expect(thrown(() => assertMayRemove(limited, { role: 'readonly', environmentIds: ['north'] })).code).toBe('scope_outside_yours');
  });

  it('keeps at least one owner', () => {
    expect(keepsAnOwner(['a'], 'a', 'manager')).toBe(false);
    expect(keepsAnOwner(['a'], 'a', null)).toBe(false);
    expect(keepsAnOwner(['a'], 'a', 'owner')).toBe(true);
    expect(keepsAnOwner(['a', 'b'], 'a', null)).toBe(true);
    expect(keepsAnOwner(['a'], 'b', null)).toBe(true);
  });

  it('makes invitations valid for 7 days', () => {
    expect(invitationExpiresAt(new Date('2026-12-01T10:00:00Z')).toISOString()).toBe('2026-12-08T10:00:00.000Z');
  });
});
