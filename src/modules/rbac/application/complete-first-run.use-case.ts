import { Inject, Injectable, Optional } from '@nestjs/common';
import { FIRST_RUN_COMPLETED, WORKSPACE_CREATED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { assertAcceptablePassword } from '../core/password-policy';
import { FIRST_RUN_REPOSITORY, FirstRunRepository } from '../core/ports/first-run.repository.port';
import { PASSWORD_HASHER, PasswordHasher } from '../core/ports/password-hasher.port';
import { WorkspaceRef } from '../core/ports/tenancy-directory.port';
import { UserProfile } from '../core/ports/user.repository.port';
import { RbacErrors } from '../core/rbac-errors';
import { SECRET_PATTERN, sha256Hex } from '../core/secrets';
import { assertValidDisplayName, assertValidEmail } from '../core/user-identity';
import { assertValidWorkspaceName, assertValidWorkspaceSlug } from '../core/workspace-identity';

export interface FirstRunCommand {
  email: string;
  displayName: string;
  password: string;
  /** Required on the setup page; optional for `admin:create`. */
  workspace: { slug: string; name: string } | null;
}

/** Who completes the setup: the page (with the printed token) or the CLI (with the server). */
export type FirstRunChannel = { via: 'setup_page'; token: string } | { via: 'cli' };

export interface FirstRunCompleted {
  user: UserProfile;
  workspace: WorkspaceRef | null;
}

/**
 * Creates the first user, as platform administrator, and the first workspace with that user as
 * owner — once. The page's token must be the stored one; any user existing ends it: the page then
 * answers 404 like any unknown token, the CLI `first_run_done`. Two setups at once make one
 * administrator: the repository serializes them and the second finds a user.
 */
@Injectable()
export class CompleteFirstRun {
  constructor(
    @Inject(FIRST_RUN_REPOSITORY) private readonly firstRun: FirstRunRepository,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(command: FirstRunCommand, channel: FirstRunChannel): Promise<FirstRunCompleted> {
    if (channel.via === 'setup_page' && !SECRET_PATTERN.test(channel.token)) throw RbacErrors.notFound();
    const email = assertValidEmail(command.email);
    const displayName = assertValidDisplayName(command.displayName);
    assertAcceptablePassword(command.password);
    const workspace = command.workspace
      ? { slug: assertValidWorkspaceSlug(command.workspace.slug), name: assertValidWorkspaceName(command.workspace.name) }
      : null;
    const passwordHash = await this.hasher.hash(command.password);
    const outcome = await this.firstRun.createFirstAdmin({
      email,
      displayName,
      passwordHash,
      workspace,
      setupTokenHash: channel.via === 'setup_page' ? sha256Hex(channel.token) : null,
    });
    if (outcome.kind === 'slug_taken') throw RbacErrors.workspaceSlugTaken(workspace!.slug);
    if (outcome.kind !== 'created') throw channel.via === 'cli' ? RbacErrors.firstRunDone() : RbacErrors.notFound();
    const actor = { actorUserId: outcome.user.id, actorLabel: outcome.user.email };
    await this.audit?.record({
      ...actor,
      action: FIRST_RUN_COMPLETED,
      subjectType: 'user',
      subjectId: outcome.user.id,
      metadata: { via: channel.via, email: outcome.user.email, platform_admin: true },
    });
    if (outcome.workspace) {
      await this.audit?.record({
        ...actor,
        workspaceId: outcome.workspace.id,
        action: WORKSPACE_CREATED,
        subjectType: 'workspace',
        subjectId: outcome.workspace.id,
        metadata: { slug: outcome.workspace.slug, name: outcome.workspace.name, via: channel.via },
      });
    }
    return { user: outcome.user, workspace: outcome.workspace };
  }
}
