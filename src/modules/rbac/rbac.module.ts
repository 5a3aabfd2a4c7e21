import { Global, Module } from '@nestjs/common';
import { MikroOrmTenancyDirectory } from './adapters/persistence/mikro-orm-tenancy-directory';
import { TENANCY_DIRECTORY } from './core/ports/tenancy-directory.port';

/** Tenancy (workspaces, environments) now; identity, memberships and policies arrive with RBAC. */
@Global()
@Module({
  providers: [MikroOrmTenancyDirectory, { provide: TENANCY_DIRECTORY, useExisting: MikroOrmTenancyDirectory }],
  exports: [TENANCY_DIRECTORY, MikroOrmTenancyDirectory],
})
export class RbacModule {}
