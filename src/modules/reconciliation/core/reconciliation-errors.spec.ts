import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { ReconciliationErrors } from './reconciliation-errors';

describe('ReconciliationErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      ReconciliationErrors,
      { invalid_reconciliation_adapters: 'invalid' },
      { invalidAdapters: [['inventory.sync: two reconciliation adapters (a, b)']] },
    );
  });
});
