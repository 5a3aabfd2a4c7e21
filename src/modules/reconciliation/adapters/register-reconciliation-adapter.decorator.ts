import { SetMetadata } from '@nestjs/common';

export const RECONCILIATION_ADAPTER_METADATA = 'opsdeck:reconciliation-adapter';

/** Marks a provider implementing `ReconciliationAdapter`; discovered at boot, no central switch. */
export const RegisterReconciliationAdapter = (): ClassDecorator =>
  SetMetadata(RECONCILIATION_ADAPTER_METADATA, true);
