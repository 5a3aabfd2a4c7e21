import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { AuditErrors } from './audit-errors';

describe('AuditErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(AuditErrors, { invalid_cursor: 'invalid', invalid_range: 'invalid' });
  });
});
