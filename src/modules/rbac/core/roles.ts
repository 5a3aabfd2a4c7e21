import { ALL_CAPABILITIES, Capability, isCapability } from './capabilities';
import { isMembershipRole, MEMBERSHIP_ROLES, MembershipRole } from './membership';
import { isRecord } from '../../../shared/core/json-guards';

/** Membership roles (SPEC 1), declared once with memberships; only the map below gives them meaning. */
export const ROLES = MEMBERSHIP_ROLES;
export type Role = MembershipRole;
export const isRole = isMembershipRole;

/** Which capabilities each role holds; built once at boot from config/roles.json. */
export type RoleCapabilityMap = Readonly<Record<Role, ReadonlySet<Capability>>>;

/** In config, `"*"` stands for every capability in the registry (today's and tomorrow's). */
export const EVERY_CAPABILITY = '*';

/**
 * Parses `{ "roles": { "<role>": ["<capability>" | "*", …] } }`. Every problem (unknown role or
 * capability, a missing role, a wrong shape) becomes one line, collected, so a bad file is fixed
 * in one go; callers refuse to boot when `errors` is not empty.
 */
export function parseRoleCapabilities(raw: unknown): { map: RoleCapabilityMap; errors: string[] } {
  const errors: string[] = [];
  const sets = Object.fromEntries(ROLES.map((r) => [r, new Set<Capability>()])) as Record<Role, Set<Capability>>;
  if (!isRecord(raw)) {
    return { map: sets, errors: ['role map must be a JSON object with a "roles" object'] };
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'roles' && key !== '$comment') errors.push(`role map: unknown key "${key}"`);
  }
  const roles = raw.roles;
  if (!isRecord(roles)) {
    errors.push('role map: roles must be an object keyed by role');
    return { map: sets, errors };
  }
  for (const [role, capabilities] of Object.entries(roles)) {
    if (!isRole(role)) {
      errors.push(`role map: unknown role "${role}" (known roles: ${ROLES.join(', ')})`);
      continue;
    }
    if (!Array.isArray(capabilities)) {
      errors.push(`role map: ${role} must be an array of capabilities`);
      continue;
    }
    for (const capability of capabilities) {
      if (capability === EVERY_CAPABILITY) {
        ALL_CAPABILITIES.forEach((c) => sets[role].add(c));
      } else if (isCapability(capability)) {
        sets[role].add(capability);
      } else {
        errors.push(
          `role map: ${role} lists unknown capability ${JSON.stringify(capability)} (known: ${ALL_CAPABILITIES.join(', ')})`,
        );
      }
    }
  }
  for (const role of ROLES) {
    if (!(role in roles)) errors.push(`role map: role "${role}" is missing (list [] for a role without capabilities)`);
  }
  return { map: sets, errors };
}
