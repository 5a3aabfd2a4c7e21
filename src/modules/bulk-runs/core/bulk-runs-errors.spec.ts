import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { BulkRunErrors } from './bulk-runs-errors';

describe('BulkRunErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      BulkRunErrors,
      { needs_every_environment: 'forbidden', invalid_input: 'invalid', initiator_required: 'invalid', invalid_cursor: 'invalid' },
      {
        inputNotObject: ['operations.bulk_cancel'],
        unknownInputKey: ['operations.bulk_cancel', 'limit'],
        unknownAction: ['pause'],
        unknownFilterKey: ['limit', ['tab']],
        filterValueNotText: ['tab'],
        filterValueInvalid: ['tab', 'one of: all'],
      },
    );
  });
});
