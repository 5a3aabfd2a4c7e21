import { AccessContext } from '../../../rbac/core/access-context';

/**
 * The page shell's bell: how many unread notifications the signed-in user has. The shell owns
 * this port so it depends on no feature module; the notifications module provides it.
 */
export const SHELL_UNREAD_COUNT = Symbol('SHELL_UNREAD_COUNT');

export interface UnreadCountSource {
  /** Counts only what the reader's grants (already resolved for the request) still let it see. */
  unreadCount(reader: AccessContext): Promise<number>;
}
