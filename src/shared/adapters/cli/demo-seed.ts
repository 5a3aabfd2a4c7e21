import { MikroOrmTenancyDirectory } from '../../../modules/rbac/adapters/persistence/mikro-orm-tenancy-directory';

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

/** Idempotent: running it again changes nothing and creates no duplicates. */
export async function seedDemo(tenancy: MikroOrmTenancyDirectory): Promise<{ workspaces: number; environments: number }> {
  let environments = 0;
  for (const workspace of DEMO_TENANCY) {
    const saved = await tenancy.ensureWorkspace(workspace.slug, workspace.name);
    for (const env of workspace.environments) {
      await tenancy.ensureEnvironment(saved.id, env.slug, env.name);
      environments++;
    }
  }
  return { workspaces: DEMO_TENANCY.length, environments };
}
