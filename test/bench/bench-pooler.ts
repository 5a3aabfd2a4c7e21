/**
 * A PgBouncer in transaction mode that a bench contender connects through: Debian 12's 1.18 with
 * unnamed statements, or a ≥ 1.21 build with `max_prepared_statements` and the app's statements
 * kept named (DATABASE_NAMED_STATEMENTS=on).
 */
export interface BenchPooler {
  url: string;
  namedStatements: boolean;
}

/** The environment that points the app at `pooler`. */
export function poolerEnv(pooler: BenchPooler): Record<string, string> {
  return { DATABASE_URL: pooler.url, DATABASE_POOLER: 'transaction', DATABASE_NAMED_STATEMENTS: pooler.namedStatements ? 'on' : 'off' };
}
