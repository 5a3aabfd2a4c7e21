/**
 * Session settings of every app connection, declared once.
 * - JIT off: short OLTP statements only; PostgreSQL would compile any plan it estimates expensive
 *   (the reconciler's stale probe at a million runs) and spend ~20 ms doing so on a 1 ms query.
 * - Generic plans: the hot statements are named prepared statements (prepared-sql.ts) whose SQL
 *   is built per filter shape, so one plan per connection serves every call; left to its
 *   heuristic PostgreSQL re-planned them on every call, and planning cost as much as executing
 *   (0.4–0.5 ms of the hub's list statement). ORM statements carry no bind parameters (MikroORM
 *   inlines them), so this setting does not reach them.
 * - random_page_cost 1.1: the working set is in memory or on SSD. With the default (4) the
 *   reconciler's stale probe is a bitmap scan, which never marks the dead index entries that
 *   heartbeats leave in the stale range, so every sweep re-read them all until a vacuum (≈ 9 000
 *   heap visits per sweep after 20 000 heartbeats); an index scan marks them once.
 *
 * They reach a connection two ways: directly, in the startup packet's `options` (every new
 * connection, nothing to set up); and as the database's own defaults (`ALTER DATABASE … SET`,
 * applied by `db:migrate`), which is what a connection pooler passes on — PgBouncer refuses the
 * `options` startup parameter, and a server connection it opens takes the database's defaults.
 */
export const APP_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  jit: 'off',
  plan_cache_mode: 'force_generic_plan',
  random_page_cost: '1.1',
};

/** The startup `options` form: `-c name=value …`. */
export const APP_SESSION_OPTIONS = Object.entries(APP_SESSION_SETTINGS)
  .map(([name, value]) => `-c ${name}=${value}`)
  .join(' ');

/**
 * The statements that make them the current database's defaults (idempotent). Names and values
 * are this module's constants, never input; the database name comes from `current_database()`.
 */
export function sessionDefaultsSql(): string {
  const sets = Object.entries(APP_SESSION_SETTINGS)
    .map(([name, value]) => `execute format('alter database %I set ${name} = %L', current_database(), '${value}');`)
    .join('\n  ');
  return `do $$ begin\n  ${sets}\nend $$`;
}
