import { createHash, randomBytes } from 'node:crypto';
import { DemoUserKey } from '../../src/cli/demo-seed';
import { DemoScope } from './seed';
import { TestDatabase } from './test-database';

export const PERSONAS = ['owner', 'operator', 'viewer', 'outsider', 'anonymous'] as const;
export type Persona = (typeof PERSONAS)[number];

/** The one body every hidden or missing resource answers with. */
export const NOT_FOUND_BODY = { error: { code: 'not_found', message: 'Not found.' } };

export interface ApiPersonas {
  tokens: Record<DemoUserKey, string>;
  /** Headers for supertest's `.set()`; none for the anonymous caller. */
  auth(persona: Persona): Record<string, string>;
}

/** An API token stored the way the product stores it (sha256 hex of the whole token). */
export async function insertApiToken(db: TestDatabase, userId: string, name = 'test'): Promise<string> {
  const token = `odk_${randomBytes(32).toString('base64url')}`;
  const hash = createHash('sha256').update(token, 'utf8').digest('hex');
  await db.query('insert into api_tokens (user_id, name, token_hash) values ($1, $2, $3)', [userId, name, hash]);
  return token;
}

/** One personal API token per demo user (seeded by seedDemoScope). */
export async function issueDemoTokens(db: TestDatabase, scope: DemoScope): Promise<ApiPersonas> {
  const tokens = {} as Record<DemoUserKey, string>;
  for (const key of Object.keys(scope.userIds) as DemoUserKey[]) {
    tokens[key] = await insertApiToken(db, scope.userIds[key], `${key} e2e`);
  }
  return {
    tokens,
    auth: (persona): Record<string, string> =>
      persona === 'anonymous' ? {} : { Authorization: `Bearer ${tokens[persona]}` },
  };
}
