import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { FirstAdmin, FirstAdminOutcome, FirstRunRepository } from '../../core/ports/first-run.repository.port';
import { WorkspaceRef } from '../../core/ports/tenancy-directory.port';
import { runSql } from './raw-sql';

/** Serializes first-run attempts across every app instance and the CLI (a transaction-scoped lock). */
const FIRST_RUN_LOCK_SQL = `select pg_advisory_xact_lock(hashtext('opsdeck:first-run'))`;

@Injectable()
export class MikroOrmFirstRunRepository implements FirstRunRepository {
  constructor(private readonly em: EntityManager) {}

  async hasUsers(): Promise<boolean> {
    const [row] = await runSql<{ present: boolean }>(this.em, 'select exists (select 1 from users) as present');
    return row.present;
  }

  async replaceSetupToken(tokenHash: string): Promise<void> {
    await runSql(
      this.em,
      `insert into first_run_tokens (id, token_hash) values (1, ?)
       on conflict (id) do update set token_hash = excluded.token_hash, created_at = now()`,
      [tokenHash],
    );
  }

  async setupTokenValid(tokenHash: string): Promise<boolean> {
    const [row] = await runSql<{ valid: boolean }>(
      this.em,
      `select exists (select 1 from first_run_tokens where id = 1 and token_hash = ?)
          and not exists (select 1 from users) as valid`,
      [tokenHash],
    );
    return row.valid;
  }

  async createFirstAdmin(admin: FirstAdmin): Promise<FirstAdminOutcome> {
    const connection = this.em.getConnection();
    return connection.transactional(async (trx) => {
      const run = <T>(sql: string, params: unknown[] = []) => connection.execute<T[]>(sql, params, 'all', trx);
      await run(FIRST_RUN_LOCK_SQL);
      const [{ present }] = await run<{ present: boolean }>('select exists (select 1 from users) as present');
      if (present) return { kind: 'users_exist' as const };
      if (admin.setupTokenHash !== null) {
        const [match] = await run<{ id: number }>('select id from first_run_tokens where id = 1 and token_hash = ?', [admin.setupTokenHash]);
        if (!match) return { kind: 'token_mismatch' as const };
      }
      let workspace: WorkspaceRef | null = null;
      if (admin.workspace) {
        // First, so a taken slug leaves nothing behind (nothing else was written yet).
        [workspace] = await run<WorkspaceRef>(
          'insert into workspaces (slug, name) values (?, ?) on conflict (slug) do nothing returning id, slug, name',
          [admin.workspace.slug, admin.workspace.name],
        );
        if (!workspace) return { kind: 'slug_taken' as const };
      }
      const [user] = await run<{ id: string; email: string; display_name: string }>(
        `insert into users (email, display_name, password_hash, is_platform_admin) values (?, ?, ?, true)
         returning id, email, display_name`,
        [admin.email, admin.displayName, admin.passwordHash],
      );
      if (workspace) {
        await run(`insert into memberships (user_id, workspace_id, role, all_environments) values (?, ?, 'owner', true)`, [user.id, workspace.id]);
      }
      await run('delete from first_run_tokens');
      return { kind: 'created' as const, user: { id: user.id, email: user.email, displayName: user.display_name }, workspace };
    });
  }
}
