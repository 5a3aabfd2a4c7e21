import { SetMetadata } from '@nestjs/common';

export const RUN_OBSERVER_METADATA = 'opsdeck:run-observer';

/**
 * Marks a provider implementing `RunLifecycleObserver` (metrics, notifications, …); discovery adds
 * every marked provider to the run service's observers at boot, so operations imports none of them.
 */
export const RegisterRunObserver = (): ClassDecorator => SetMetadata(RUN_OBSERVER_METADATA, true);
