import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { ChildRecord, isChildResult } from '../../core/child-results';
import { RecordedChild, RunChildren } from '../../core/ports/run-children.port';

interface ChildRow {
  position: string;
  run_id: string | null;
  environment_id: string | null;
  result: string;
  message: string | null;
}

const COLUMNS = 'c.id::text as position, c.run_id, c.environment_id, c.result, c.message';

/** operation_run_children: one append per batch (a JSON document unnested), keyset pages on its id. */
@Injectable()
export class MikroOrmRunChildren implements RunChildren {
  constructor(private readonly em: EntityManager) {}

  async record(parentRunId: string, children: readonly ChildRecord[], at: Date): Promise<void> {
    if (children.length === 0) return;
    const doc = JSON.stringify(
      children.map((c, i) => ({ n: i, run_id: c.runId, environment_id: c.environmentId, result: c.result, message: c.message ?? null })),
    );
    await preparedRows(
      this.em,
      `insert into operation_run_children (parent_run_id, run_id, environment_id, result, message, recorded_at)
       select ?, x.run_id, x.environment_id, x.result, x.message, ?
         from jsonb_to_recordset(?::jsonb) as x(n int, run_id uuid, environment_id uuid, result text, message text)
        order by x.n`,
      [parentRunId, at, doc],
    );
  }

  async recorded(parentRunId: string): Promise<RecordedChild[]> {
    const rows = await preparedRows<ChildRow>(
      this.em,
      `select ${COLUMNS} from operation_run_children c where c.parent_run_id = ? order by c.id`,
      [parentRunId],
    );
    return rows.flatMap(toChild);
  }

  async countByParents(parentRunIds: string[]): Promise<Map<string, number>> {
    if (parentRunIds.length === 0) return new Map();
    const rows = await preparedRows<{ parent_run_id: string; n: string }>(
      this.em,
      `select parent_run_id, count(*)::text as n from operation_run_children where parent_run_id in (?) group by parent_run_id`,
      [parentRunIds],
    );
    return new Map(rows.map((r) => [r.parent_run_id, Number(r.n)]));
  }

  async page(
    parentRunId: string,
    scope: { allEnvironments: boolean; environmentIds: string[] },
    afterPosition: number | null,
    limit: number,
  ): Promise<RecordedChild[]> {
    const where = ['c.parent_run_id = ?', 'c.run_id is not null'];
    const params: PreparedParam[] = [parentRunId];
    if (!scope.allEnvironments) {
      // A limited reader sees the children whose run is in one of its environments, nothing else.
      if (scope.environmentIds.length === 0) where.push('false');
      else {
        where.push('r.environment_id in (?)');
        params.push(scope.environmentIds);
      }
    }
    if (afterPosition !== null) {
      where.push('c.id > ?');
      params.push(String(afterPosition));
    }
    params.push(limit);
    const rows = await preparedRows<ChildRow>(
      this.em,
      `select ${COLUMNS} from operation_run_children c join operation_runs r on r.id = c.run_id
        where ${where.join(' and ')} order by c.id limit ?`,
      params,
    );
    return rows.flatMap(toChild);
  }
}

function toChild(row: ChildRow): RecordedChild[] {
  // A result written by a newer version is not guessed at: such a row is left out.
  if (!isChildResult(row.result)) return [];
  return [{ position: Number(row.position), runId: row.run_id, environmentId: row.environment_id, result: row.result, message: row.message }];
}
