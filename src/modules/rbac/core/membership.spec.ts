import { thrown } from '../../../../test/support/domain-errors';
import { describeMembershipChange, parseMembershipRole } from './membership';

describe('memberships', () => {
  it('knows the four roles and names them when one is unknown', () => {
    expect(parseMembershipRole('operator')).toBe('operator');
    expect(thrown(() => parseMembershipRole('admin'))).toMatchObject({
      code: 'invalid_role',
      kind: 'invalid',
      message: 'Unknown role "admin". Roles: owner, manager, operator, readonly.',
    });
  });

  it('describes what an upsert changed', () => {
    expect(describeMembershipChange(null, { role: 'owner', environmentIds: null })).toBe('added');
    expect(describeMembershipChange({ role: 'owner', environmentIds: null }, { role: 'readonly', environmentIds: null })).toBe('role_changed');
    expect(describeMembershipChange({ role: 'operator', environmentIds: null }, { role: 'operator', environmentIds: ['a'] })).toBe('scope_changed');
    expect(describeMembershipChange({ role: 'operator', environmentIds: ['a'] }, { role: 'operator', environmentIds: ['a', 'b'] })).toBe('scope_changed');
    expect(describeMembershipChange({ role: 'operator', environmentIds: ['b', 'a'] }, { role: 'operator', environmentIds: ['a', 'b'] })).toBe('unchanged');
    expect(describeMembershipChange({ role: 'owner', environmentIds: null }, { role: 'owner', environmentIds: null })).toBe('unchanged');
  });
});
