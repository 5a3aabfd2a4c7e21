import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { buildOrmOptions } from './mikro-orm.config';
import { PreparedParam, preparedRows, preparedStatementNamesEnabled, setPreparedStatementNames } from './prepared-sql';

/**
 * Named prepared statements through the ORM's Knex (public API only), on a one-connection pool so
 * `pg_prepared_statements` — which lists the current session's statements — shows what ran.
 */
describe('prepared statements (real PostgreSQL)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let em: EntityManager;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init({ ...buildOrmOptions(db.url, process.cwd()), pool: { min: 0, max: 1 } });
    em = orm.em.fork();
  });
  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });
  afterEach(() => setPreparedStatementNames(true));

  /** The session's prepared statements, read unnamed through the ORM on the pool's one connection. */
  async function preparedOnConnection(): Promise<{ name: string; statement: string }[]> {
    return em.getConnection().execute('select name, statement from pg_prepared_statements order by name', [], 'all');
  }

  const SERIES = 'select v from generate_series(1, 10) as t(v) where v in (?) and v > ? order by v';

  it('names are on by default', () => {
    expect(preparedStatementNamesEnabled()).toBe(true);
  });

  it('runs a statement as a named prepared statement with its values bound', async () => {
    const rows = await preparedRows<{ v: number }>(em, 'select v::int as v from generate_series(1, ?::int) as t(v) where v > ? order by v', [5, 2]);
    expect(rows.map((r) => r.v)).toEqual([3, 4, 5]);
    const statements = await preparedOnConnection();
    expect(statements).toContainEqual({
      name: expect.stringMatching(/^opsdeck_\d+$/),
      statement: 'select v::int as v from generate_series(1, $1::int) as t(v) where v > $2 order by v',
    });
  });

  it('expands a list into one placeholder per element, a shape (and name) per list length, with the ORM\'s results', async () => {
    const cases: PreparedParam[][] = [
      [[2, 4, 6], 3],
      [[1, 9], 0],
      [[7], 7],
    ];
    for (const params of cases) {
      const prepared = await preparedRows<{ v: number }>(em, SERIES, params);
      const orm = await em.getConnection().execute<{ v: number }[]>(SERIES, params as never[], 'all');
      expect(prepared).toEqual(orm);
    }
    const texts = (await preparedOnConnection()).map((s) => s.statement);
    expect(texts).toEqual(expect.arrayContaining([
      'select v from generate_series(1, 10) as t(v) where v in ($1, $2, $3) and v > $4 order by v',
      'select v from generate_series(1, 10) as t(v) where v in ($1, $2) and v > $3 order by v',
      'select v from generate_series(1, 10) as t(v) where v in ($1) and v > $2 order by v',
    ]));
  });

  it('with names off (a transaction-mode pooler) runs the statement unnamed, values still bound', async () => {
    setPreparedStatementNames(false);
    const sql = 'select v::int as v from generate_series(1, 4) as t(v) where v <> ? order by v';
    const rows = await preparedRows<{ v: number }>(em, sql, [2]);
    expect(rows.map((r) => r.v)).toEqual([1, 3, 4]);
    const texts = (await preparedOnConnection()).map((s) => s.statement);
    expect(texts).not.toContain('select v::int as v from generate_series(1, 4) as t(v) where v <> $1 order by v');
    // Turned back on, the same shape is named.
    setPreparedStatementNames(true);
    await preparedRows(em, sql, [2]);
    expect((await preparedOnConnection()).map((s) => s.statement)).toContain('select v::int as v from generate_series(1, 4) as t(v) where v <> $1 order by v');
  });

  it('inside a transaction runs on the transaction\'s connection (sees its uncommitted writes)', async () => {
    await em.getConnection().execute('create table prepared_probe (id int primary key)', [], 'run');
    await em.transactional(async (tx) => {
      await tx.getConnection().execute('insert into prepared_probe (id) values (1), (2)', [], 'run', tx.getTransactionContext());
      const rows = await preparedRows<{ id: number }>(tx, 'select id from prepared_probe where id in (?) order by id', [[1, 2, 3]]);
      expect(rows.map((r) => r.id)).toEqual([1, 2]);
    });
  });
});
