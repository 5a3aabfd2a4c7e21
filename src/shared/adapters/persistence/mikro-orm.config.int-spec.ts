import { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, TestApp } from '../../../../test/support/test-app';

describe('database sessions of the app (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
  });
  afterAll(() => t?.close());

  it('run with JIT compilation off', async () => {
    const em = t.get<EntityManager>(EntityManager).fork();
    const [row] = await em.getConnection().execute<{ jit: string }[]>("select current_setting('jit') as jit", [], 'all');
    expect(row.jit).toBe('off');
  });

  it('plan prepared statements once per connection (generic plans)', async () => {
    const em = t.get<EntityManager>(EntityManager).fork();
    const [row] = await em.getConnection().execute<{ mode: string }[]>("select current_setting('plan_cache_mode') as mode", [], 'all');
    expect(row.mode).toBe('force_generic_plan');
  });
});
