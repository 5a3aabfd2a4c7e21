import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { isCapability } from '../../../rbac/core/capabilities';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationErrors } from '../../core/operations-errors';

/** A capability typo in the catalog would make a type impossible to start: refuse to boot. */
@Injectable()
export class CatalogCapabilityCheck implements OnModuleInit {
  constructor(@Inject(OperationCatalog) private readonly catalog: OperationCatalog) {}

  onModuleInit(): void {
    const problems = this.catalog
      .definitions()
      .filter((d) => !isCapability(d.capability))
      .map((d) => `${d.type}: capability "${d.capability}" is not in the capability registry`);
    if (problems.length) throw OperationErrors.catalogCapabilitiesUnknown(problems);
  }
}
