import { BaselineProfileRepository } from '../modules/baselines/core/ports/baseline-profile.repository.port';
import { MikroOrmTenancyDirectory } from '../modules/rbac/adapters/persistence/mikro-orm-tenancy-directory';
import { AuditActor, IdentityAdminService } from '../modules/rbac/core/identity-admin.service';
import { MembershipRole } from '../modules/rbac/core/membership';

export const DEMO_TENANCY = [
  {
    slug: 'contoso-msp',
    name: 'Contoso MSP',
    environments: [
      { slug: 'contoso-hq', name: 'Contoso HQ' },
      { slug: 'fabrikam', name: 'Fabrikam' },
      { slug: 'northwind', name: 'Northwind Traders' },
    ],
  },
  { slug: 'tailspin-msp', name: 'Tailspin MSP', environments: [{ slug: 'tailspin-prod', name: 'Tailspin Production' }] },
];

export type DemoUserKey = 'owner' | 'operator' | 'viewer' | 'outsider';

/** One membership per demo user; `environments` limits it, otherwise it covers the whole workspace. */
export const DEMO_USERS: {
  key: DemoUserKey;
  email: string;
  displayName: string;
  workspace: string;
  role: MembershipRole;
  environments?: string[];
}[] = [
  { key: 'owner', email: 'owner@opsdeck.test', displayName: 'Olivia Owner', workspace: 'contoso-msp', role: 'owner' },
  {
    key: 'operator',
    email: 'operator@opsdeck.test',
    displayName: 'Oscar Operator',
    workspace: 'contoso-msp',
    role: 'operator',
    environments: ['contoso-hq', 'fabrikam'],
  },
  { key: 'viewer', email: 'viewer@opsdeck.test', displayName: 'Vera Viewer', workspace: 'contoso-msp', role: 'readonly' },
  { key: 'outsider', email: 'outsider@opsdeck.test', displayName: 'Otto Outsider', workspace: 'tailspin-msp', role: 'owner' },
];

/** The demo baseline: Contoso HQ is the reference, every policy kind counts. */
export const DEMO_BASELINE = { workspace: 'contoso-msp', name: 'Contoso security baseline', source: 'contoso-hq' };

export const DEFAULT_DEMO_PASSWORD = 'opsdeck-demo';
const SEED_ACTOR: AuditActor = { userId: null, label: 'demo-seed' };

export interface DemoSeedResult {
  workspaces: number;
  environments: number;
  /** Emails of the demo users (empty when no identity service was given). */
  users: string[];
  userIds: Partial<Record<DemoUserKey, string>>;
}

/**
 * Idempotent: running it again changes nothing and creates no duplicates. With `identity` it also
 * ensures the demo users (password from DEMO_PASSWORD, default "opsdeck-demo"; an existing user's
 * password is never overwritten) and sets their memberships.
 */
export async function seedDemo(
  tenancy: MikroOrmTenancyDirectory,
  identity?: IdentityAdminService,
  password: string = process.env.DEMO_PASSWORD?.trim() || DEFAULT_DEMO_PASSWORD,
  baselines?: BaselineProfileRepository,
): Promise<DemoSeedResult> {
  let environments = 0;
  for (const workspace of DEMO_TENANCY) {
    const saved = await tenancy.ensureWorkspace(workspace.slug, workspace.name);
    for (const env of workspace.environments) {
      await tenancy.ensureEnvironment(saved.id, env.slug, env.name);
      environments++;
    }
  }
  if (baselines) {
    const workspace = await tenancy.findWorkspaceBySlug(DEMO_BASELINE.workspace);
    const source = workspace && (await tenancy.findEnvironmentBySlug(workspace.id, DEMO_BASELINE.source));
    if (workspace && source) {
      await baselines.ensure({ workspaceId: workspace.id, name: DEMO_BASELINE.name, sourceEnvironmentId: source.id, policyKinds: [] });
    }
  }
  const userIds: DemoSeedResult['userIds'] = {};
  if (identity) {
    for (const demo of DEMO_USERS) {
      const { user } = await identity.ensureUser({ email: demo.email, password, displayName: demo.displayName });
      await identity.setMembership(
        { email: demo.email, workspaceSlug: demo.workspace, role: demo.role, environmentSlugs: demo.environments ?? null },
        SEED_ACTOR,
      );
      userIds[demo.key] = user.id;
    }
  }
  return {
    workspaces: DEMO_TENANCY.length,
    environments,
    users: identity ? DEMO_USERS.map((u) => u.email) : [],
    userIds,
  };
}
