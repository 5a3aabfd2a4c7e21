import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ALL_CAPABILITIES, CAPABILITIES, isCapability } from './capabilities';
import { parseRoleCapabilities, ROLES } from './roles';

const shipped = () => JSON.parse(readFileSync(path.resolve(__dirname, '../../../../config/roles.json'), 'utf8'));

describe('capability registry', () => {
  it('lists each capability once, as dotted lower-case names', () => {
    expect(new Set(ALL_CAPABILITIES).size).toBe(ALL_CAPABILITIES.length);
    for (const c of ALL_CAPABILITIES) expect(c).toMatch(/^[a-z]+\.[a-z_]+$/);
    expect(isCapability('operations.view')).toBe(true);
    expect(isCapability('operations.delete')).toBe(false);
    expect(isCapability(undefined)).toBe(false);
  });
});

describe('parseRoleCapabilities', () => {
  it('reads the shipped config/roles.json without problems', () => {
    const { map, errors } = parseRoleCapabilities(shipped());
    expect(errors).toEqual([]);
    expect([...map.owner].sort()).toEqual([...ALL_CAPABILITIES].sort());
    // Managing members and the workspace itself are the owner's.
    const ownerOnly: string[] = [CAPABILITIES.MEMBERS_MANAGE, CAPABILITIES.WORKSPACE_MANAGE];
    expect([...map.manager].sort()).toEqual(ALL_CAPABILITIES.filter((c) => !ownerOnly.includes(c)).sort());
    expect([...map.operator].sort()).toEqual(
      ['operations.view', 'operations.cancel', 'operations.bulk', 'inventory.sync', 'baselines.capture', 'baselines.compare', 'reviews.compose'].sort(),
    );
    expect([...map.readonly]).toEqual(['operations.view']);
    // Environment administration: owners and managers, nobody below.
    expect(map.owner.has(CAPABILITIES.ENVIRONMENTS_MANAGE)).toBe(true);
    expect(map.manager.has(CAPABILITIES.ENVIRONMENTS_MANAGE)).toBe(true);
    expect(map.operator.has(CAPABILITIES.ENVIRONMENTS_MANAGE)).toBe(false);
  });

  it('"*" expands to every registered capability', () => {
    const { map, errors } = parseRoleCapabilities({ roles: { owner: ['*'], manager: [], operator: [], readonly: [] } });
    expect(errors).toEqual([]);
    expect(map.owner.size).toBe(ALL_CAPABILITIES.length);
    expect(map.readonly.size).toBe(0);
  });

  it('collects every problem: unknown capability, unknown role, missing role, wrong shapes', () => {
    const { errors } = parseRoleCapabilities({
      roles: { owner: ['operations.view', 'operations.teleport'], superuser: ['*'], manager: 'all', operator: [] },
      extra: true,
    });
    expect(errors).toEqual([
      'role map: unknown key "extra"',
      expect.stringContaining('owner lists unknown capability "operations.teleport"'),
      expect.stringContaining('unknown role "superuser"'),
      'role map: manager must be an array of capabilities',
      expect.stringContaining('role "readonly" is missing'),
    ]);
  });

  it('rejects a non-object document', () => {
    expect(parseRoleCapabilities(null).errors).toEqual(['role map must be a JSON object with a "roles" object']);
    expect(parseRoleCapabilities({ roles: [] }).errors).toEqual(['role map: roles must be an object keyed by role']);
  });

  it('knows exactly the four membership roles', () => {
    expect(ROLES).toEqual(['owner', 'manager', 'operator', 'readonly']);
  });
});
