import { OperationRun } from '../operation-run';

export const INITIATOR_AUTHORIZATION = Symbol('INITIATOR_AUTHORIZATION');

/**
 * Queued execution re-authorization: before a user-initiated run does any work, its initiator
 * must still hold `capability` in the run's workspace and environment, and still see each of
 * `alsoSees` (other environments whose data the run reads). System runs never ask.
 */
export interface InitiatorAuthorization {
  isStillAuthorized(run: OperationRun, capability: string, alsoSees?: string[]): Promise<boolean>;
}
