import { RecentFailures } from '../login-throttle';

export const LOGIN_ATTEMPT_REPOSITORY = Symbol('LOGIN_ATTEMPT_REPOSITORY');

export interface LoginAttempt {
  email: string;
  ip: string;
  succeeded: boolean;
  at: Date;
}

export interface LoginAttemptRepository {
  record(attempt: LoginAttempt): Promise<void>;
  /**
   * Failures since `since`: for the email (case-insensitive) only those after its last successful
   * sign-in — a correct password proves the owner is back — and for the IP address all of them.
   */
  countRecentFailures(email: string, ip: string, since: Date): Promise<RecentFailures>;
}
