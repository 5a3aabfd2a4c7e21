import { AccessOfUser } from './application/access-of-user.query';
import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CsrfGuard } from '../../shared/adapters/auth/csrf.guard';
import { Clock, CLOCK } from '../../shared/core/clock.port';
import { AUDIT_LOG, AuditLog } from '../../shared/core/audit-trail/audit-log.port';
import { LoginController } from './adapters/http/login.controller';
import { SessionMiddleware } from './adapters/http/session.middleware';
import { APP_CONFIG } from '../../shared/adapters/config/app-config.token';
import type { AppConfig } from '../../shared/adapters/config/app-config';
import { AccessContextGuard } from './adapters/http/access-context.guard';
import { ApiTokenGuard } from './adapters/http/api-token.guard';
import { loadRoleCapabilities } from './adapters/config/role-capabilities.loader';
import { RbacApiController } from './adapters/http/rbac-api.controller';
import { MikroOrmMembershipGrants } from './adapters/persistence/mikro-orm-membership-grants';
import { MikroOrmUserProfiles } from './adapters/persistence/mikro-orm-user-profiles';
import { AccessControl } from './core/access-control';
import { AuthorizationPolicy } from './core/authorization-policy';
import { ListMemberWorkspaces } from './application/list-member-workspaces.query';
import { ChangePassword } from './application/change-password.use-case';
import { CreateMyApiToken } from './application/create-my-api-token.use-case';
import { ListMyApiTokens } from './application/list-my-api-tokens.query';
import { RevokeMyApiToken } from './application/revoke-my-api-token.use-case';
import { FirstRunPageController } from './adapters/http/first-run-page.controller';
import { WorkspacesApiController } from './adapters/http/workspaces-api.controller';
import { MikroOrmFirstRunRepository } from './adapters/persistence/mikro-orm-first-run.repository';
import { MikroOrmWorkspaceAdmin } from './adapters/persistence/mikro-orm-workspace-admin';
import { CheckSetupToken } from './application/check-setup-token.query';
import { CompleteFirstRun } from './application/complete-first-run.use-case';
import { CreateWorkspace } from './application/create-workspace.use-case';
import { IsPlatformAdmin } from './application/is-platform-admin.query';
import { IssueSetupToken } from './application/issue-setup-token.use-case';
import { RenameWorkspace } from './application/rename-workspace.use-case';
import { GetWorkspaceSettings } from './application/workspace-settings.query';
import { FIRST_RUN_REPOSITORY } from './core/ports/first-run.repository.port';
import { WORKSPACE_ADMIN } from './core/ports/workspace-admin.port';
import { MyApiTokensApiController } from './adapters/http/my-api-tokens-api.controller';
import { MembersApiController } from './adapters/http/members-api.controller';
import { InvitationsApiController } from './adapters/http/invitations-api.controller';
import { RevokeInvitation } from './application/revoke-invitation.use-case';
import { InvitationPagesController } from './adapters/http/invitation-pages.controller';
import { MikroOrmInvitationRepository } from './adapters/persistence/mikro-orm-invitation.repository';
import { INVITATION_REPOSITORY } from './core/ports/invitation.repository.port';
import { ListWorkspaceMembers } from './application/list-workspace-members.query';
import { AddMember } from './application/add-member.use-case';
import { ChangeMember } from './application/change-member.use-case';
import { RemoveMember } from './application/remove-member.use-case';
import { ShowInvitation } from './application/show-invitation.query';
import { AcceptInvitation } from './application/accept-invitation.use-case';
import { ENVIRONMENT_LISTING, EnvironmentListing } from './core/ports/environment-listing.port';
import { MEMBERSHIP_GRANTS, MembershipGrants } from './core/ports/membership-grants.port';
import { USER_PROFILES } from './core/ports/user-profiles.port';
import { MikroOrmApiTokenRepository } from './adapters/persistence/mikro-orm-api-token.repository';
import { MikroOrmMembershipRepository } from './adapters/persistence/mikro-orm-membership.repository';
import { MikroOrmSessionRepository } from './adapters/persistence/mikro-orm-session.repository';
import { MikroOrmTenancyDirectory } from './adapters/persistence/mikro-orm-tenancy-directory';
import { MikroOrmUserRepository } from './adapters/persistence/mikro-orm-user.repository';
import { BcryptPasswordHasher } from './adapters/security/bcrypt-password-hasher';
import { RedisAttemptCounter } from './adapters/security/redis-attempt-counter';
import { AuthenticationService } from './core/authentication.service';
import { IdentityAdminService } from './core/identity-admin.service';
import { ApiTokenRepository } from './core/ports/api-token.repository.port';
import { ATTEMPT_COUNTER, AttemptCounter } from './core/ports/attempt-counter.port';
import { MEMBERSHIP_REPOSITORY, MembershipRepository } from './core/ports/membership.repository.port';
import { PASSWORD_HASHER, PasswordHasher } from './core/ports/password-hasher.port';
import { SESSION_REPOSITORY, SessionRepository } from './core/ports/session.repository.port';
import { TENANCY_DIRECTORY, TenancyDirectory } from './core/ports/tenancy-directory.port';
import { USER_REPOSITORY, UserRepository } from './core/ports/user.repository.port';
import { redisClientFor } from '../../shared/adapters/redis-connection';

/** Audit is recorded when an audit log is wired (the audit module); identity works without one. */
const OPTIONAL_AUDIT_LOG = { token: AUDIT_LOG, optional: true };

/**
 * Tenancy (workspaces, environments) and identity: users, memberships, API tokens, server-side
 * sessions, sign-in with CSRF protection and throttling. Global: every module may read tenancy,
 * inject `ApiTokenRepository`, and guard routes with the shared auth guards.
 */
@Global()
@Module({
  controllers: [
    LoginController,
    FirstRunPageController,
    RbacApiController,
    MyApiTokensApiController,
    WorkspacesApiController,
    MembersApiController,
    InvitationsApiController,
    InvitationPagesController,
  ],
  providers: [
    MikroOrmTenancyDirectory,
    { provide: TENANCY_DIRECTORY, useExisting: MikroOrmTenancyDirectory },
    // Authorization (capabilities, deny-as-not-found) and the bearer-token API plumbing.
    {
      provide: AuthorizationPolicy,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new AuthorizationPolicy(loadRoleCapabilities(config.projectRoot)),
    },
    MikroOrmMembershipGrants,
    { provide: MEMBERSHIP_GRANTS, useExisting: MikroOrmMembershipGrants },
    { provide: ENVIRONMENT_LISTING, useExisting: MikroOrmMembershipGrants },
    { provide: USER_PROFILES, useClass: MikroOrmUserProfiles },
    {
      provide: AccessControl,
      inject: [MEMBERSHIP_GRANTS, TENANCY_DIRECTORY, AuthorizationPolicy, ENVIRONMENT_LISTING],
      useFactory: (grants: MembershipGrants, tenancy: TenancyDirectory, policy: AuthorizationPolicy, environments: EnvironmentListing) =>
        new AccessControl(grants, tenancy, policy, environments),
    },
    ListMemberWorkspaces,
    AccessOfUser,
    // Your account: password and personal API tokens (API here, the page in web).
    ChangePassword,
    ListMyApiTokens,
    CreateMyApiToken,
    RevokeMyApiToken,
    // Members and invitations (API and the invitation page here, the members page in web).
    { provide: INVITATION_REPOSITORY, useClass: MikroOrmInvitationRepository },
    ListWorkspaceMembers,
    AddMember,
    ChangeMember,
    RemoveMember,
    RevokeInvitation,
    ShowInvitation,
    AcceptInvitation,
    // First run (setup token, first administrator) and workspace administration.
    { provide: FIRST_RUN_REPOSITORY, useClass: MikroOrmFirstRunRepository },
    { provide: WORKSPACE_ADMIN, useClass: MikroOrmWorkspaceAdmin },
    IssueSetupToken,
    CheckSetupToken,
    CompleteFirstRun,
    IsPlatformAdmin,
    CreateWorkspace,
    RenameWorkspace,
    GetWorkspaceSettings,
    ApiTokenGuard,
    AccessContextGuard,
    { provide: USER_REPOSITORY, useClass: MikroOrmUserRepository },
    { provide: SESSION_REPOSITORY, useClass: MikroOrmSessionRepository },
    {
      provide: ATTEMPT_COUNTER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new RedisAttemptCounter(
          // Opened on first use; a command fails after one reconnect attempt instead of queueing.
          redisClientFor(config, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 }),
          `${config.queuePrefix}:signin`,
        ),
    },
    { provide: MEMBERSHIP_REPOSITORY, useClass: MikroOrmMembershipRepository },
    { provide: ApiTokenRepository, useClass: MikroOrmApiTokenRepository },
    { provide: PASSWORD_HASHER, useClass: BcryptPasswordHasher },
    {
      provide: AuthenticationService,
      inject: [USER_REPOSITORY, PASSWORD_HASHER, SESSION_REPOSITORY, ATTEMPT_COUNTER, CLOCK, OPTIONAL_AUDIT_LOG],
      useFactory: (
        users: UserRepository,
        hasher: PasswordHasher,
        sessions: SessionRepository,
        attempts: AttemptCounter,
        clock: Clock,
        audit?: AuditLog,
      ) => new AuthenticationService({ users, hasher, sessions, attempts, clock, audit }),
    },
    {
      provide: IdentityAdminService,
      inject: [USER_REPOSITORY, PASSWORD_HASHER, MEMBERSHIP_REPOSITORY, ApiTokenRepository, TENANCY_DIRECTORY, OPTIONAL_AUDIT_LOG],
      useFactory: (
        users: UserRepository,
        hasher: PasswordHasher,
        memberships: MembershipRepository,
        tokens: ApiTokenRepository,
        tenancy: TenancyDirectory,
        audit?: AuditLog,
      ) => new IdentityAdminService({ users, hasher, memberships, tokens, tenancy, audit }),
    },
    SessionMiddleware,
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  exports: [
    TENANCY_DIRECTORY,
    MikroOrmTenancyDirectory,
    ApiTokenRepository,
    AuthenticationService,
    IdentityAdminService,
    USER_REPOSITORY,
    MEMBERSHIP_REPOSITORY,
    AuthorizationPolicy,
    AccessControl,
    MEMBERSHIP_GRANTS,
    USER_PROFILES,
    ApiTokenGuard,
    AccessContextGuard,
    ListMemberWorkspaces,
    AccessOfUser,
    ENVIRONMENT_LISTING,
    ChangePassword,
    ListMyApiTokens,
    CreateMyApiToken,
    RevokeMyApiToken,
    ListWorkspaceMembers,
    AddMember,
    ChangeMember,
    RemoveMember,
    RevokeInvitation,
    IssueSetupToken,
    CompleteFirstRun,
    IsPlatformAdmin,
    CreateWorkspace,
    RenameWorkspace,
    GetWorkspaceSettings,
  ],
})
export class RbacModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
