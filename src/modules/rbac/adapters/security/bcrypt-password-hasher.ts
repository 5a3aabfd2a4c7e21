import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { PasswordHasher } from '../../core/ports/password-hasher.port';

export const PRODUCTION_BCRYPT_COST = 10;
export const MIN_TEST_BCRYPT_COST = 4;

/**
 * The bcrypt cost: 10, except under test (NODE_ENV=test) where BCRYPT_COST may lower it to as
 * little as 4 so suites that create many users stay fast. Read per call: test helpers may set it
 * after the app booted.
 */
export function bcryptCost(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BCRYPT_COST?.trim();
  if (env.NODE_ENV !== 'test' || !raw) return PRODUCTION_BCRYPT_COST;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < MIN_TEST_BCRYPT_COST || cost > PRODUCTION_BCRYPT_COST) {
    throw new Error(`BCRYPT_COST must be an integer between ${MIN_TEST_BCRYPT_COST} and ${PRODUCTION_BCRYPT_COST} (got "${raw}")`);
  }
  return cost;
}

@Injectable()
export class BcryptPasswordHasher implements PasswordHasher {
  /** Compared against when there is no user, per cost, so unknown emails take as long as wrong passwords. */
  private readonly decoys = new Map<number, string>();

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, bcryptCost());
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash) return bcrypt.compare(password, hash);
    await bcrypt.compare(password, await this.decoy(bcryptCost()));
    return false;
  }

  private async decoy(cost: number): Promise<string> {
    let decoy = this.decoys.get(cost);
    if (!decoy) {
      decoy = await bcrypt.hash('opsdeck-no-such-user', cost);
      this.decoys.set(cost, decoy);
    }
    return decoy;
  }
}
