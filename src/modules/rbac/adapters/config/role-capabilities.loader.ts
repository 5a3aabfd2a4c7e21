import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../../shared/adapters/config/app-config';
import { parseRoleCapabilities, RoleCapabilityMap } from '../../core/roles';

export const ROLES_CONFIG_FILE = join('config', 'roles.json');

/** Boot path: config/roles.json → role map, or one ConfigError listing every problem. */
export function loadRoleCapabilities(projectRoot: string): RoleCapabilityMap {
  const file = join(projectRoot, ROLES_CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError([`cannot read role map ${file}: ${(e as Error).message}`]);
  }
  return roleCapabilitiesFrom(raw, file);
}

export function roleCapabilitiesFrom(raw: unknown, source = 'role map'): RoleCapabilityMap {
  const { map, errors } = parseRoleCapabilities(raw);
  if (errors.length > 0) throw new ConfigError(errors.map((e) => `${source}: ${e}`));
  return map;
}
