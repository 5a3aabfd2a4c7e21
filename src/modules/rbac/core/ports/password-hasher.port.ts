export const PASSWORD_HASHER = Symbol('PASSWORD_HASHER');

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `hash`. With `hash` null (no such user) it spends the same time
   * and answers false, so response time does not reveal whether an account exists.
   */
  verify(password: string, hash: string | null): Promise<boolean>;
}
