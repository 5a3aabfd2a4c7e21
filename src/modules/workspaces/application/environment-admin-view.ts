import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { ProviderKindRegistry, ProviderSettings } from '../core/provider-kind';

/** One environment as the environments API and settings page show it: provider settings without secrets. */
export interface EnvironmentView {
  id: string;
  slug: string;
  name: string;
  archived: boolean;
  provider: ProviderSettings;
}

export function toEnvironmentView(
  env: Pick<EnvironmentRef, 'id' | 'slug' | 'displayName' | 'archived'>,
  provider: ProviderSettings | undefined,
  registry: ProviderKindRegistry,
): EnvironmentView {
  return {
    id: env.id,
    slug: env.slug,
    name: env.displayName,
    archived: env.archived === true,
    provider: registry.publicSettings(provider ?? { kind: 'fixture' }),
  };
}
