import { expectErrorCatalog } from '../../../test/support/error-catalog';
import { SharedErrors } from './shared-errors';

describe('SharedErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      SharedErrors,
      { not_found: 'not_found', invalid_input: 'invalid' },
      { workspaceNotFound: ['contoso'], environmentNotFound: ['contoso-hq'], runNotFound: ['r-1'] },
    );
  });
});
