import { MikroOrmTenancyDirectory } from '../../src/modules/rbac/adapters/persistence/mikro-orm-tenancy-directory';
import { seedDemo } from '../../src/shared/adapters/cli/demo-seed';
import { TestApp } from './test-app';

export interface DemoScope {
  workspaceId: string;
  environmentIds: Record<string, string>;
}

/** Seeds the demo tenancy and returns the ids tests dispatch against. */
export async function seedDemoScope(t: TestApp): Promise<DemoScope> {
  const tenancy = t.get<MikroOrmTenancyDirectory>(MikroOrmTenancyDirectory);
  await seedDemo(tenancy);
  const workspace = await tenancy.findWorkspaceBySlug('contoso-msp');
  const environmentIds: Record<string, string> = {};
  for (const slug of ['contoso-hq', 'fabrikam', 'northwind']) {
    environmentIds[slug] = (await tenancy.findEnvironmentBySlug(workspace!.id, slug))!.id;
  }
  return { workspaceId: workspace!.id, environmentIds };
}
