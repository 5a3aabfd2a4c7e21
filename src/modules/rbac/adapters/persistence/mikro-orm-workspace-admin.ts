import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../../shared/core/uuid';
import { WorkspaceRef } from '../../core/ports/tenancy-directory.port';
import { WorkspaceAdmin } from '../../core/ports/workspace-admin.port';
import { runSql } from './raw-sql';

@Injectable()
export class MikroOrmWorkspaceAdmin implements WorkspaceAdmin {
  constructor(private readonly em: EntityManager) {}

  async isPlatformAdmin(userId: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const [row] = await runSql<{ is_platform_admin: boolean }>(this.em, 'select is_platform_admin from users where id = ?', [userId]);
    return row?.is_platform_admin === true;
  }

  async createWithOwner(slug: string, name: string, ownerUserId: string): Promise<WorkspaceRef | null> {
    // One statement, so one transaction: the workspace never exists without its owner.
    const [row] = await runSql<WorkspaceRef>(
      this.em,
      `with created as (
         insert into workspaces (slug, name) values (?, ?) on conflict (slug) do nothing returning id, slug, name
       ), owner as (
         insert into memberships (user_id, workspace_id, role, all_environments)
         select ?, created.id, 'owner', true from created
       )
       select id, slug, name from created`,
      [slug, name, ownerUserId],
    );
    return row ?? null;
  }

  async rename(workspaceId: string, name: string): Promise<WorkspaceRef> {
    const [row] = await runSql<WorkspaceRef>(this.em, 'update workspaces set name = ? where id = ? returning id, slug, name', [name, workspaceId]);
    return row;
  }
}
