import { FIXTURE_PROVIDER_KIND, ProviderKind, ProviderKindRegistry } from './provider-kind';
import { WorkspacesErrors } from './workspaces-errors';

/** A kind with a secret, as a Graph provider would have: the secret is stored, never shown. */
const withSecret: ProviderKind = {
  kind: 'vault',
  validate(settings) {
    if (typeof settings.tenant !== 'string') throw WorkspacesErrors.invalidProviderSettings('vault', 'tenant is required.');
    return { kind: 'vault', tenant: settings.tenant, client_secret: String(settings.client_secret ?? '') };
  },
  publicSettings: (s) => ({ kind: 'vault', tenant: s.tenant }),
};

describe('ProviderKindRegistry', () => {
  const registry = new ProviderKindRegistry([FIXTURE_PROVIDER_KIND, withSecret]);

  it('validates through the named kind', () => {
    expect(registry.validate({ kind: 'fixture' })).toEqual({ kind: 'fixture' });
    expect(registry.validate({ kind: 'vault', tenant: 't1', client_secret: 's3cret' })).toEqual({ kind: 'vault', tenant: 't1', client_secret: 's3cret' });
  });

  it('refuses an unknown, missing or malformed kind with invalid_provider naming the known kinds', () => {
    for (const bad of [{ kind: 'graph' }, {}, null, 'fixture', ['fixture'], { kind: 7 }]) {
      expect(() => registry.validate(bad)).toThrow(expect.objectContaining({ code: 'invalid_provider', message: expect.stringContaining('fixture, vault') }));
    }
  });

  it("lets each kind refuse its own settings", () => {
    expect(() => registry.validate({ kind: 'fixture', path: '/etc' })).toThrow(expect.objectContaining({ code: 'invalid_provider' }));
    expect(() => registry.validate({ kind: 'vault' })).toThrow(expect.objectContaining({ code: 'invalid_provider', message: 'Provider "vault": tenant is required.' }));
  });

  it('never shows what the kind keeps private, and only the name of a kind no longer registered', () => {
    expect(registry.publicSettings({ kind: 'vault', tenant: 't1', client_secret: 's3cret' })).toEqual({ kind: 'vault', tenant: 't1' });
    expect(registry.publicSettings({ kind: 'retired', token: 'x' })).toEqual({ kind: 'retired' });
  });

  it('refuses two kinds of one name', () => {
    expect(() => new ProviderKindRegistry([FIXTURE_PROVIDER_KIND, FIXTURE_PROVIDER_KIND])).toThrow(
      expect.objectContaining({ code: 'invalid_provider_registry' }),
    );
  });
});
