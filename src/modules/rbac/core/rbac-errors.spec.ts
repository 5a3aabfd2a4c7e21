import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { NOT_FOUND_MESSAGE, RbacErrors, USER_EXISTS_CODE } from './rbac-errors';

describe('RbacErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      RbacErrors,
      {
        not_found: 'not_found',
        forbidden: 'forbidden',
        workspace_not_found: 'not_found',
        environment_not_found: 'not_found',
        invalid_environments: 'invalid',
        user_not_found: 'not_found',
        user_exists: 'conflict',
        invalid_email: 'invalid',
        invalid_display_name: 'invalid',
        weak_password: 'invalid',
        invalid_role: 'invalid',
        invalid_token_name: 'invalid',
        token_not_found: 'not_found',
        invalid_token_expiry: 'invalid',
        wrong_current_password: 'invalid',
        too_many_attempts: 'too_many',
        sign_in_unavailable: 'unavailable',
        last_owner: 'conflict',
        already_member: 'conflict',
        role_above_yours: 'forbidden',
        scope_outside_yours: 'forbidden',
        unknown_environment: 'invalid',
        invitation_not_valid: 'not_found',
        invited_email_taken: 'conflict',
        not_a_member: 'not_found',
        invitation_not_found: 'not_found',
        invalid_workspace_slug: 'invalid',
        invalid_workspace_name: 'invalid',
        workspace_slug_taken: 'conflict',
        first_run_done: 'conflict',
      },
      {
        forbidden: ['operations.start'],
        workspaceNotFound: ['contoso'],
        environmentNotFound: ['contoso-hq', 'contoso'],
        userNotFound: ['ada@example.com'],
        userExists: ['ada@example.com'],
        invalidEmail: ['ada'],
        displayNameTooLong: [120],
        passwordTooShort: [10],
        passwordTooLong: [72],
        unknownRole: ['admin', ['owner', 'readonly']],
        invalidTokenName: [100],
        tokenNotFound: ['t-1'],
        invalidTokenLifetime: [365],
        alreadyMember: ['ada@example.com'],
        notAMember: ['ada@example.com', 'contoso'],
        noPendingInvitation: ['ada@example.com', 'contoso'],
        roleAboveYours: ['owner'],
        unknownEnvironment: ['nowhere'],
        invalidWorkspaceSlug: [63],
        invalidWorkspaceName: [120],
        workspaceSlugTaken: ['contoso'],
      },
    );
  });

  it('answers every hidden or missing resource with the same not_found, and names the missing capability', () => {
    expect(RbacErrors.notFound().message).toBe(NOT_FOUND_MESSAGE);
    expect(RbacErrors.forbidden('operations.start').details).toEqual({ capability: 'operations.start' });
  });

  it('exports the codes callers compare against', () => {
    expect(RbacErrors.userExists('ada@example.com').code).toBe(USER_EXISTS_CODE);
  });
});
