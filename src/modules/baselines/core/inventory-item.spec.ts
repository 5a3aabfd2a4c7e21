import { inventoryContentHash, InventoryRecord } from './inventory-item';

const record: InventoryRecord = {
  kind: 'conditionalAccessPolicy',
  external_id: 'a1',
  display_name: 'CA001: Require MFA for admins',
  settings: {
    state: 'enabled',
    conditions: { applications: { includeApplications: ['All'] }, users: { includeRoles: ['r1', 'r2'] } },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  },
};

describe('inventoryContentHash', () => {
  it('is a sha256 hex digest', () => {
    expect(inventoryContentHash(record)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not change with key order at any depth', () => {
    const reordered: InventoryRecord = {
      settings: {
        grantControls: { builtInControls: ['mfa'], operator: 'OR' },
        conditions: { users: { includeRoles: ['r1', 'r2'] }, applications: { includeApplications: ['All'] } },
        state: 'enabled',
      },
      display_name: record.display_name,
      external_id: record.external_id,
      kind: record.kind,
    };
    expect(inventoryContentHash(reordered)).toBe(inventoryContentHash(record));
  });

  it('ignores the external id, which is identity rather than content', () => {
    expect(inventoryContentHash({ ...record, external_id: 'b2' })).toBe(inventoryContentHash(record));
  });

  it.each([
    ['display name', { display_name: 'CA001: Require MFA for everyone' }],
    ['kind', { kind: 'compliancePolicy' }],
    ['nested setting', { settings: { ...record.settings, state: 'disabled' } }],
    ['array order', { settings: { ...record.settings, conditions: { users: { includeRoles: ['r2', 'r1'] } } } }],
  ])('changes when the %s changes', (_label, change) => {
    expect(inventoryContentHash({ ...record, ...change })).not.toBe(inventoryContentHash(record));
  });
});
