import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../../../shared/adapters/config/app-config';
import { loadRoleCapabilities } from './role-capabilities.loader';

function projectWith(content: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'roles-'));
  mkdirSync(path.join(root, 'config'));
  writeFileSync(path.join(root, 'config', 'roles.json'), content);
  return root;
}

describe('loadRoleCapabilities', () => {
  it('loads the shipped role map', () => {
    const map = loadRoleCapabilities(path.resolve(__dirname, '../../../../..'));
    expect(map.readonly.has('operations.view')).toBe(true);
    expect(map.manager.has('members.manage')).toBe(false);
  });

  it('refuses to boot on an unknown capability, naming file, role and capability', () => {
    const root = projectWith(JSON.stringify({ roles: { owner: ['*'], manager: [], operator: ['runs.explode'], readonly: [] } }));
    expect(() => loadRoleCapabilities(root)).toThrow(ConfigError);
    expect(() => loadRoleCapabilities(root)).toThrow(/roles\.json: role map: operator lists unknown capability "runs\.explode"/);
  });

  it('refuses to boot on unreadable JSON', () => {
    expect(() => loadRoleCapabilities(projectWith('{ nope'))).toThrow(/cannot read role map .*roles\.json/);
  });
});
