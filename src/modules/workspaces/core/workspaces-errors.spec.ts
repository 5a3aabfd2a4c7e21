import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { WorkspacesErrors } from './workspaces-errors';

describe('WorkspacesErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      WorkspacesErrors,
      {
        invalid_slug: 'invalid',
        environment_exists: 'conflict',
        invalid_display_name: 'invalid',
        invalid_provider: 'invalid',
        invalid_provider_registry: 'invalid',
      },
      {
        environmentSlugTaken: ['contoso-hq'],
        displayNameTooLong: [120],
        unknownProviderKind: ['graph', ['fixture']],
        invalidProviderSettings: ['fixture', 'takes no settings.'],
        duplicateProviderKind: ['fixture'],
      },
    );
  });
});
