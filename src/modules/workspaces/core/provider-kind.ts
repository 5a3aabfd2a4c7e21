import { WorkspacesErrors } from './workspaces-errors';

/** An environment's inventory provider as stored: its kind and that kind's settings. */
export type ProviderSettings = { kind: string } & Record<string, unknown>;

/**
 * One kind of inventory provider an environment can name (`fixture` now; Microsoft Graph later).
 * Each kind owns its settings: it validates them and says which may be shown — never a secret.
 */
export interface ProviderKind {
  readonly kind: string;
  /** The settings to store, cleaned; throws WorkspacesErrors.invalidProviderSettings when refused. */
  validate(settings: Record<string, unknown>): ProviderSettings;
  /** The stored settings an answer or page may show. */
  publicSettings(settings: ProviderSettings): ProviderSettings;
}

/** The provider kinds, by name: the one place that turns `provider.kind` into its rules. */
export class ProviderKindRegistry {
  private readonly byKind = new Map<string, ProviderKind>();

  constructor(kinds: readonly ProviderKind[]) {
    for (const k of kinds) {
      if (this.byKind.has(k.kind)) throw WorkspacesErrors.duplicateProviderKind(k.kind);
      this.byKind.set(k.kind, k);
    }
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** A request's `provider` object, validated by its kind. */
  validate(provider: unknown): ProviderSettings {
    const settings = provider && typeof provider === 'object' && !Array.isArray(provider) ? (provider as Record<string, unknown>) : null;
    const kind = typeof settings?.kind === 'string' ? settings.kind : '';
    return this.of(kind).validate(settings ?? {});
  }

  /** Stored settings as they may be shown; a kind no longer registered shows its name only. */
  publicSettings(stored: ProviderSettings): ProviderSettings {
    const kind = this.byKind.get(stored.kind);
    return kind ? kind.publicSettings(stored) : { kind: stored.kind };
  }

  private of(kind: string): ProviderKind {
    const found = this.byKind.get(kind);
    if (!found) throw WorkspacesErrors.unknownProviderKind(kind, this.kinds());
    return found;
  }
}

/** The built-in fixture provider (demo and tests): it takes no settings. */
export const FIXTURE_PROVIDER_KIND: ProviderKind = {
  kind: 'fixture',
  validate(settings) {
    const extra = Object.keys(settings).filter((k) => k !== 'kind');
    if (extra.length) throw WorkspacesErrors.invalidProviderSettings('fixture', `takes no settings (got ${extra.slice(0, 5).join(', ')}).`);
    return { kind: 'fixture' };
  },
  publicSettings: () => ({ kind: 'fixture' }),
};
