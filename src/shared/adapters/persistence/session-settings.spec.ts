import { buildOrmOptions } from './mikro-orm.config';
import { APP_SESSION_OPTIONS, APP_SESSION_SETTINGS, sessionDefaultsSql } from './session-settings';

describe('the app session settings, declared once', () => {
  it('travel as startup options on a direct connection', () => {
    expect(APP_SESSION_OPTIONS).toBe('-c jit=off -c plan_cache_mode=force_generic_plan -c random_page_cost=1.1');
    expect(buildOrmOptions('postgres://x@db/opsdeck', '/app').driverOptions).toEqual({ connection: { options: APP_SESSION_OPTIONS } });
  });

  it('never as a startup option through a pooler (PgBouncer refuses "options")', () => {
    for (const pooler of ['session', 'transaction'] as const) {
      expect(buildOrmOptions('postgres://x@pooler/opsdeck', '/app', pooler).driverOptions).toEqual({ connection: {} });
    }
  });

  it('become the current database defaults with one idempotent statement per setting', () => {
    const sql = sessionDefaultsSql();
    for (const [name, value] of Object.entries(APP_SESSION_SETTINGS)) {
      expect(sql).toContain(`execute format('alter database %I set ${name} = %L', current_database(), '${value}');`);
    }
    expect(sql.startsWith('do $$ begin')).toBe(true);
  });
});
