import { Global, Module } from '@nestjs/common';
import { MikroOrmTenancyDirectory } from './adapters/persistence/mikro-orm-tenancy-directory';
import { TENANCY_DIRECTORY } from './core/ports/tenancy-directory.port';
import { INITIATOR_AUTHORIZATION } from '../operations/core/ports/initiator-authorization.port';
import { NoIdentityInitiatorAuthorization } from './adapters/no-identity-initiator-authorization';

/** Tenancy (workspaces, environments) now; identity, memberships and policies arrive with RBAC. */
@Global()
@Module({
  providers: [
    MikroOrmTenancyDirectory,
    { provide: TENANCY_DIRECTORY, useExisting: MikroOrmTenancyDirectory },
    { provide: INITIATOR_AUTHORIZATION, useClass: NoIdentityInitiatorAuthorization },
  ],
  exports: [TENANCY_DIRECTORY, MikroOrmTenancyDirectory, INITIATOR_AUTHORIZATION],
})
export class RbacModule {}
