import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { NotificationErrors } from './notifications-errors';

describe('NotificationErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(NotificationErrors, { invalid_cursor: 'invalid' });
  });
});
