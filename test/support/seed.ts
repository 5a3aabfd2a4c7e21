import { MikroOrmTenancyDirectory } from '../../src/modules/rbac/adapters/persistence/mikro-orm-tenancy-directory';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { DEFAULT_DEMO_PASSWORD, DemoUserKey, seedDemo } from '../../src/cli/demo-seed';
import { TestApp } from './test-app';

export interface DemoScope {
  workspaceId: string;
  environmentIds: Record<string, string>;
  /** Demo users (owner, operator limited to contoso-hq + fabrikam, viewer, outsider of tailspin-msp). */
  userIds: Record<DemoUserKey, string>;
  /** Their password (every demo user has the same one). */
  password: string;
}

/** Seeds the demo tenancy and users and returns the ids tests dispatch against. */
export async function seedDemoScope(t: TestApp): Promise<DemoScope> {
  // Four bcrypt hashes per test file: the lowest cost keeps seeding fast (honoured only under test).
  process.env.BCRYPT_COST ??= '4';
  const tenancy = t.get<MikroOrmTenancyDirectory>(MikroOrmTenancyDirectory);
  const result = await seedDemo(tenancy, t.get<IdentityAdminService>(IdentityAdminService), DEFAULT_DEMO_PASSWORD);
  const workspace = await tenancy.findWorkspaceBySlug('contoso-msp');
  const environmentIds: Record<string, string> = {};
  for (const slug of ['contoso-hq', 'fabrikam', 'northwind']) {
    environmentIds[slug] = (await tenancy.findEnvironmentBySlug(workspace!.id, slug))!.id;
  }
  return {
    workspaceId: workspace!.id,
    environmentIds,
    userIds: result.userIds as Record<DemoUserKey, string>,
    password: DEFAULT_DEMO_PASSWORD,
  };
}
