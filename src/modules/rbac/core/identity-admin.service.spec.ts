import {
  FakeHasher,
  InMemoryApiTokens,
  InMemoryMemberships,
  InMemoryTenancy,
  InMemoryUsers,
  RecordingAuditLog,
} from '../../../../test/support/fakes/in-memory-identity';
import { DomainError } from '../../../shared/core/domain-error';
import { hashApiToken } from './api-token';
import { IdentityAdminService } from './identity-admin.service';

const CLI = { userId: null, label: 'cli' };

function setup() {
  const users = new InMemoryUsers();
  const memberships = new InMemoryMemberships();
  const tokens = new InMemoryApiTokens();
  const audit = new RecordingAuditLog();
  const tenancy = new InMemoryTenancy(
    [{ id: 'w-1', slug: 'contoso-msp', name: 'Contoso MSP' }],
    [
      { id: 'e-hq', workspaceId: 'w-1', slug: 'contoso-hq', displayName: 'HQ' },
      { id: 'e-fab', workspaceId: 'w-1', slug: 'fabrikam', displayName: 'Fabrikam' },
    ],
  );
  const service = new IdentityAdminService({ users, hasher: new FakeHasher(), memberships, tokens, tenancy, audit });
  return { users, memberships, tokens, audit, service };
}

const failure = async (work: Promise<unknown>): Promise<DomainError> => {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
};

describe('IdentityAdminService', () => {
  it('creates users with a hashed password, unique by email in any case', async () => {
    const { service, users } = setup();
    const user = await service.createUser({ email: ' Owner@Example.test ', password: 'long enough!', displayName: ' Olivia ' });
    expect(user).toEqual({ id: expect.any(String), email: 'Owner@Example.test', displayName: 'Olivia' });
    expect(users.rows[0].passwordHash).toBe('hashed:long enough!');
    const duplicate = await failure(service.createUser({ email: 'owner@example.TEST', password: 'long enough!', displayName: 'X' }));
    expect(duplicate).toMatchObject({ code: 'user_exists', kind: 'conflict', message: 'A user with email "owner@example.TEST" already exists.' });
  });

  it('refuses short passwords, bad emails and blank names with clear messages', async () => {
    const { service } = setup();
    expect((await failure(service.createUser({ email: 'a@b.test', password: 'short', displayName: 'A' }))).message).toBe(
      'Passwords must be at least 10 characters long.',
    );
    expect((await failure(service.createUser({ email: 'not-an-email', password: 'long enough!', displayName: 'A' }))).code).toBe('invalid_email');
    expect((await failure(service.createUser({ email: 'a@b.test', password: 'long enough!', displayName: '  ' }))).code).toBe('invalid_display_name');
  });

  it('ensureUser keeps an existing user and their password', async () => {
    const { service, users } = setup();
    await service.createUser({ email: 'a@b.test', password: 'first password', displayName: 'A' });
    const again = await service.ensureUser({ email: 'A@B.test', password: 'other password', displayName: 'B' });
    expect(again.created).toBe(false);
    expect(users.rows).toHaveLength(1);
    expect(users.rows[0].passwordHash).toBe('hashed:first password');
  });

  it('adds, re-scopes and re-roles a membership, auditing each real change once', async () => {
    const { service, audit, memberships } = setup();
    const user = await service.createUser({ email: 'op@b.test', password: 'long enough!', displayName: 'Op' });

    const added = await service.setMembership({ email: 'op@b.test', workspaceSlug: 'contoso-msp', role: 'operator', environmentSlugs: ['contoso-hq'] }, CLI);
    expect(added.change).toBe('added');
    expect(memberships.rows[0]).toMatchObject({ role: 'operator', environmentIds: ['e-hq'] });

    const same = await service.setMembership({ email: 'op@b.test', workspaceSlug: 'contoso-msp', role: 'operator', environmentSlugs: ['contoso-hq'] }, CLI);
    expect(same.change).toBe('unchanged');

    const promoted = await service.setMembership({ email: 'op@b.test', workspaceSlug: 'contoso-msp', role: 'manager' }, CLI);
    expect(promoted.change).toBe('role_changed');
    expect(memberships.rows).toHaveLength(1);
    expect(memberships.rows[0]).toMatchObject({ role: 'manager', environmentIds: null });

    expect(audit.events.map((e) => e.action)).toEqual(['membership.added', 'membership.role_changed']);
    expect(audit.events[1]).toEqual({
      actorUserId: null,
      actorLabel: 'cli',
      workspaceId: 'w-1',
      action: 'membership.role_changed',
      subjectType: 'membership',
      subjectId: added.membershipId,
      metadata: { user_id: user.id, email: 'op@b.test', role: 'manager', environment_ids: null, previous_role: 'operator', previous_environment_ids: ['e-hq'] },
    });
  });

  it('never demotes nor removes the last owner; removes other members, audited', async () => {
    const { service, audit, memberships } = setup();
    await service.createUser({ email: 'own@b.test', password: 'long enough!', displayName: 'Own' });
    await service.createUser({ email: 'op@b.test', password: 'long enough!', displayName: 'Op' });
    const set = (email: string, role: string) => service.setMembership({ email, workspaceSlug: 'contoso-msp', role }, CLI);
    await set('own@b.test', 'owner');
    await set('op@b.test', 'operator');
    expect((await failure(set('own@b.test', 'manager'))).code).toBe('last_owner');
    expect((await failure(service.removeMembership('own@b.test', 'contoso-msp', CLI))).code).toBe('last_owner');
    await service.removeMembership('op@b.test', 'contoso-msp', CLI);
    expect(memberships.rows.map((m) => m.role)).toEqual(['owner']);
    expect(audit.events.at(-1)).toMatchObject({ action: 'membership.removed', actorLabel: 'cli', metadata: { email: 'op@b.test', role: 'operator' } });
    expect(await failure(service.removeMembership('op@b.test', 'contoso-msp', CLI))).toMatchObject({
      code: 'not_a_member',
      message: 'op@b.test is not a member of workspace "contoso-msp".',
    });
  });

  it('names an unknown workspace, environment, role or user', async () => {
    const { service } = setup();
    await service.createUser({ email: 'op@b.test', password: 'long enough!', displayName: 'Op' });
    const base = { email: 'op@b.test', workspaceSlug: 'contoso-msp', role: 'operator' };
    expect((await failure(service.setMembership({ ...base, environmentSlugs: ['contoso-hq', 'nope'] }, CLI))).message).toBe(
      'Environment "nope" was not found in workspace "contoso-msp".',
    );
    expect((await failure(service.setMembership({ ...base, workspaceSlug: 'x' }, CLI))).message).toBe('Workspace "x" was not found.');
    expect((await failure(service.setMembership({ ...base, role: 'admin' }, CLI))).code).toBe('invalid_role');
    expect((await failure(service.setMembership({ ...base, email: 'who@b.test' }, CLI))).message).toBe('No user with email "who@b.test".');
  });

  it('creates an API token stored only as its hash, and revokes it, auditing both', async () => {
    const { service, tokens, audit } = setup();
    const user = await service.createUser({ email: 'op@b.test', password: 'long enough!', displayName: 'Op' });
    const created = await service.createApiToken('op@b.test', ' ci ', CLI);
    expect(created.token).toMatch(/^odk_[A-Za-z0-9_-]{43}$/);
    expect(tokens.rows).toEqual([{ id: created.id, userId: user.id, name: 'ci', tokenHash: hashApiToken(created.token), revoked: false, createdAt: expect.any(Date), expiresAt: null }]);
    expect(await tokens.findActiveByHash(hashApiToken(created.token))).toEqual({ id: created.id, userId: user.id });

    await service.revokeApiToken(created.id, CLI);
    expect(await tokens.findActiveByHash(hashApiToken(created.token))).toBeNull();
    expect((await failure(service.revokeApiToken(created.id, CLI))).kind).toBe('not_found');

    expect(audit.events.map((e) => [e.action, e.subjectId])).toEqual([
      ['token.created', created.id],
      ['token.revoked', created.id],
    ]);
    expect(JSON.stringify(audit.events)).not.toContain(created.token);
  });
});
