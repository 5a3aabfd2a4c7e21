import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EvidenceSection } from '../../core/evidence';
import {
  EnvironmentReviewRepository,
  NewReviewDraft,
  ReviewStatus,
  StoredReview,
} from '../../core/ports/environment-review.repository.port';
import { ReviewPeriod } from '../../core/review-period';
import { isUuid } from '../../../../shared/core/uuid';

interface ReviewRow {
  id: string;
  workspace_id: string;
  environment_id: string;
  period_from: string;
  period_to: string;
  period_label: string;
  status: ReviewStatus;
  fingerprint: string;
  sections: EvidenceSection[];
  basis: unknown;
  supersedes_review_id: string | null;
  run_id: string | null;
  created_at: Date;
  ready_at: Date | null;
  superseded_at: Date | null;
}

// Dates as text: a `date` column must not pass through the session time zone.
const COLUMNS = `id, workspace_id, environment_id, to_char(period_from, 'YYYY-MM-DD') as period_from,
  to_char(period_to, 'YYYY-MM-DD') as period_to, period_label, status, fingerprint, sections, basis,
  supersedes_review_id, run_id, created_at, ready_at, superseded_at`;

const toReview = (r: ReviewRow): StoredReview => ({
  id: r.id,
  workspaceId: r.workspace_id,
  environmentId: r.environment_id,
  period: { from: r.period_from, to: r.period_to, label: r.period_label } as ReviewPeriod,
  status: r.status,
  fingerprint: r.fingerprint,
  sections: r.sections,
  basis: r.basis,
  supersedesReviewId: r.supersedes_review_id,
  runId: r.run_id,
  createdAt: new Date(r.created_at),
  readyAt: r.ready_at ? new Date(r.ready_at) : null,
  supersededAt: r.superseded_at ? new Date(r.superseded_at) : null,
});

@Injectable()
export class MikroOrmEnvironmentReviewRepository implements EnvironmentReviewRepository {
  constructor(private readonly em: EntityManager) {}

  async listForPeriod(environmentId: string, period: ReviewPeriod): Promise<StoredReview[]> {
    const rows = await this.sql<ReviewRow>(
      this.em,
      `select ${COLUMNS} from environment_reviews
       where environment_id = ?::uuid and period_from = ?::date and period_to = ?::date and status <> 'draft'
       order by created_at desc, id desc`,
      [environmentId, period.from, period.to],
    );
    return rows.map(toReview);
  }

  async insertDraft(draft: NewReviewDraft): Promise<StoredReview> {
    const [row] = await this.sql<ReviewRow>(
      this.em,
      `insert into environment_reviews
         (workspace_id, environment_id, period_from, period_to, period_label, status, fingerprint, sections, basis,
          supersedes_review_id, run_id)
       values (?::uuid, ?::uuid, ?::date, ?::date, ?, 'draft', ?, ?::jsonb, ?::jsonb, ?::uuid, ?::uuid)
       returning ${COLUMNS}`,
      [
        draft.workspaceId,
        draft.environmentId,
        draft.period.from,
        draft.period.to,
        draft.period.label,
        draft.fingerprint,
        JSON.stringify(draft.sections),
        JSON.stringify(draft.basis ?? null),
        draft.supersedesReviewId,
        draft.runId,
      ],
    );
    return toReview(row);
  }

  async publish(draftId: string, supersedesReviewId: string | null): Promise<StoredReview | null> {
    return this.em.transactional(async (tx) => {
      if (supersedesReviewId) {
        const superseded = await this.sql<{ id: string }>(
          tx,
          `update environment_reviews set status = 'superseded', superseded_at = now()
           where id = ?::uuid and status = 'ready' returning id`,
          [supersedesReviewId],
        );
        // Someone else superseded it first: publishing now would fork the lineage.
        if (superseded.length === 0) throw new LineageMoved();
      }
      const [row] = await this.sql<ReviewRow>(
        tx,
        `update environment_reviews set status = 'ready', ready_at = now()
         where id = ?::uuid and status = 'draft' returning ${COLUMNS}`,
        [draftId],
      );
      if (!row) throw new LineageMoved();
      return toReview(row);
    }).catch((error: unknown) => {
      // 23505: the one-ready-per-period index refused a second ready review (a concurrent publish).
      if (error instanceof LineageMoved || isUniqueViolation(error)) return null;
      throw error;
    });
  }

  async findByRuns(runIds: string[]): Promise<Map<string, StoredReview>> {
    const ids = runIds.filter((id) => isUuid(id));
    if (!ids.length) return new Map();
    const rows = await this.sql<ReviewRow>(
      this.em,
      `select distinct on (run_id) ${COLUMNS} from environment_reviews
        where run_id in (?) order by run_id, created_at desc, id desc`,
      [ids],
    );
    return new Map(rows.map((r) => [r.run_id as string, toReview(r)]));
  }

  async findByRun(runId: string): Promise<StoredReview | null> {
    if (!isUuid(runId)) return null;
    const [row] = await this.sql<ReviewRow>(
      this.em,
      `select ${COLUMNS} from environment_reviews where run_id = ?::uuid order by created_at desc, id desc limit 1`,
      [runId],
    );
    return row ? toReview(row) : null;
  }

  async deleteDraftsOfRun(runId: string): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      this.em,
      `delete from environment_reviews where run_id = ?::uuid and status = 'draft' returning id`,
      [runId],
    );
    return rows.length;
  }

  async listForEnvironment(environmentId: string): Promise<StoredReview[]> {
    const rows = await this.sql<ReviewRow>(
      this.em,
      `select ${COLUMNS} from environment_reviews where environment_id = ?::uuid and status <> 'draft'
       order by created_at desc, id desc`,
      [environmentId],
    );
    return rows.map(toReview);
  }

  async findInEnvironment(environmentId: string, id: string): Promise<StoredReview | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<ReviewRow>(
      this.em,
      `select ${COLUMNS} from environment_reviews where environment_id = ?::uuid and id = ?::uuid and status <> 'draft'`,
      [environmentId, id],
    );
    return row ? toReview(row) : null;
  }

  private sql<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
  }
}

/** Rolls the publish transaction back when the lineage moved underneath it. */
class LineageMoved extends Error {}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === '23505' || e?.name === 'UniqueConstraintViolationException';
}
