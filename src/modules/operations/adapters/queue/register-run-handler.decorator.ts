import { SetMetadata } from '@nestjs/common';

export const RUN_HANDLER_METADATA = 'opsdeck:run-handler';

/**
 * Marks a provider implementing `RunHandler`; the handler registry discovers every marked
 * provider at boot, so owning modules register their handlers without a central switch.
 */
export const RegisterRunHandler = (): ClassDecorator => SetMetadata(RUN_HANDLER_METADATA, true);
