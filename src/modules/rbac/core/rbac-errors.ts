import { DomainError } from '../../../shared/core/domain-error';

/** The one "not found" every hidden or missing resource answers with, byte for byte. */
export const NOT_FOUND_MESSAGE = 'Not found.';

/** The code of `userExists`, for callers that tell a lost create race from other failures. */
export const USER_EXISTS_CODE = 'user_exists';

/**
 * Every coded error the rbac module raises (access checks, identity administration, sign-in), in
 * one place: codes and messages are part of API answers and CLI output that operators and tests
 * read, so a change to one is made here, nowhere else. Other modules answer a hidden or missing
 * resource with `notFound` and a missing capability with `forbidden`.
 */
export const RbacErrors = {
  // Access (deny-as-not-found)
  /** Unknown, and hidden from the caller, alike: the answer never reveals what exists. */
  notFound: () => new DomainError('not_found', NOT_FOUND_MESSAGE, 'not_found'),
  /** The resource is visible to the caller, whose role lacks the capability. */
  forbidden: (capability: string) =>
    new DomainError(
      'forbidden',
      `Your role in this workspace does not allow this (it needs the "${capability}" capability).`,
      'forbidden',
      { capability },
    ),

  // Identity administration (CLI, demo seed)
  workspaceNotFound: (slug: string) => new DomainError('workspace_not_found', `Workspace "${slug}" was not found.`, 'not_found'),
  /** A membership limited to environments the workspace does not have. */
  environmentNotFound: (slug: string, workspaceSlug: string) =>
    new DomainError('environment_not_found', `Environment "${slug}" was not found in workspace "${workspaceSlug}".`, 'not_found'),
  /** A membership's environment limit that names no environment (only blanks). */
  noEnvironmentsListed: () => new DomainError('invalid_environments', 'List at least one environment slug, or omit the limit.'),
  userNotFound: (email: string) => new DomainError('user_not_found', `No user with email "${email.trim()}".`, 'not_found'),
  userExists: (email: string) => new DomainError(USER_EXISTS_CODE, `A user with email "${email}" already exists.`, 'conflict'),
  /** Shows at most the first 80 characters of what was given. */
  invalidEmail: (email: string) => new DomainError('invalid_email', `"${email.slice(0, 80)}" is not a valid email address.`),
  displayNameMissing: () => new DomainError('invalid_display_name', 'A display name is required.'),
  displayNameTooLong: (maxLength: number) =>
    new DomainError('invalid_display_name', `Display names can be at most ${maxLength} characters long.`),
  passwordTooShort: (minLength: number) =>
    new DomainError('weak_password', `Passwords must be at least ${minLength} characters long.`),
  /** bcrypt reads only the first bytes: a longer password would silently lose its tail. */
  passwordTooLong: (maxBytes: number) => new DomainError('weak_password', `Passwords can be at most ${maxBytes} bytes long.`),
  passwordOnlySpaces: () => new DomainError('weak_password', 'Passwords cannot be only spaces.'),
  unknownRole: (value: string, roles: readonly string[]) =>
    new DomainError('invalid_role', `Unknown role "${value}". Roles: ${roles.join(', ')}.`),
  /** A token name that is blank (after trimming) or too long. */
  invalidTokenName: (maxLength: number) =>
    new DomainError('invalid_token_name', `Token names must be 1 to ${maxLength} characters long.`),
  /** Unknown, or already revoked. */
  tokenNotFound: (id: string) => new DomainError('token_not_found', `No active API token with id "${id}".`, 'not_found'),
  /** A token lifetime that is not a whole number of days within the limit. */
  invalidTokenLifetime: (maxDays: number) =>
    new DomainError('invalid_token_expiry', `expires_in_days must be a whole number of days from 1 to ${maxDays}.`),

  // Your account
  /** A password change whose current password does not match: nothing changes. */
  passwordChangeThrottled: () =>
    new DomainError('too_many_attempts', 'Too many password change attempts. Try again in 15 minutes.', 'too_many'),
  wrongCurrentPassword: () => new DomainError('wrong_current_password', 'The current password is not correct.'),

  // Members and invitations
  /** The change would leave the workspace without an owner. */
  lastOwner: () =>
    new DomainError('last_owner', 'A workspace keeps at least one owner: make someone else an owner first.', 'conflict'),
  /** The CLI's member:remove naming a user who is not a member. */
  notAMember: (email: string, workspaceSlug: string) =>
    new DomainError('not_a_member', `${email.trim().slice(0, 120)} is not a member of workspace "${workspaceSlug}".`, 'not_found'),
  alreadyMember: (email: string) =>
    new DomainError('already_member', `${email.trim().slice(0, 120)} is already a member of this workspace: change their role instead.`, 'conflict'),
  /** Granting, or changing the membership of someone holding, a role above the caller's own. */
  roleAboveYours: (role: string) =>
    new DomainError('role_above_yours', `You cannot grant or change the "${role}" role: it is above your own.`, 'forbidden', { role }),
  /** A member limited to some environments widening anyone's scope beyond their own. */
  scopeOutsideYours: () =>
    new DomainError(
      'scope_outside_yours',
      'Your membership is limited to some environments: you can only grant those, and cannot change members whose scope is wider.',
      'forbidden',
    ),
  /** An environment slug the caller cannot see in this workspace (unknown and hidden alike). */
  unknownEnvironment: (slug: string) =>
    new DomainError('unknown_environment', `There is no environment "${slug.slice(0, 80)}" in this workspace.`),

  /** The CLI's invitation:revoke naming an email without a pending invitation (none, accepted, expired or revoked). */
  noPendingInvitation: (email: string, workspaceSlug: string) =>
    new DomainError('invitation_not_found', `${email.trim().slice(0, 120)} has no pending invitation to workspace "${workspaceSlug}".`, 'not_found'),
  /** Unknown, expired, revoked or already used invitation links look alike. */
  invitationNotValid: () =>
    new DomainError(
      'invitation_not_valid',
      'This invitation is not valid: it expired, was already used, or was revoked or replaced. Ask for a new one.',
      'not_found',
    ),
  /** An account with the invited email was created since the invitation: sign in instead. */
  invitedEmailTaken: () =>
    new DomainError(
      'invited_email_taken',
      'An account with this email exists already: sign in with it, and ask an owner to add you to the workspace.',
      'conflict',
    ),

  // Workspaces (platform administrators create them; owners rename them)
  invalidWorkspaceSlug: (maxLength: number) =>
    new DomainError(
      'invalid_workspace_slug',
      `Workspace slugs are 1 to ${maxLength} characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit.`,
    ),
  invalidWorkspaceName: (maxLength: number) =>
    new DomainError('invalid_workspace_name', `Workspace names must be 1 to ${maxLength} characters long.`),
  workspaceSlugTaken: (slug: string) =>
    new DomainError('workspace_slug_taken', `A workspace with slug "${slug}" already exists.`, 'conflict', { slug }),
  /** Creating workspaces is a platform administrator's act, not a workspace role's. */
  notPlatformAdmin: () =>
    new DomainError('forbidden', 'Only platform administrators can create workspaces.', 'forbidden', { capability: 'platform_admin' }),

  // First run
  /** `admin:create` on an installation that already has users: the first administrator exists. */
  firstRunDone: () =>
    new DomainError(
      'first_run_done',
      'Opsdeck already has users: the first administrator exists. Platform administrators create further workspaces; members are added by owners.',
      'conflict',
    ),

  // Sign-in
  /** The attempt counter cannot be reached: a sign-in that cannot be counted is refused. */
  signInUnavailable: () =>
    new DomainError('sign_in_unavailable', 'Sign-in is unavailable right now. Try again in a minute.', 'unavailable'),
} as const;
