import { scrubAuditMetadata } from './audit-metadata';

describe('scrubAuditMetadata', () => {
  it('drops keys named password, token or secret, whatever their case', () => {
    expect(
      scrubAuditMetadata({ Password: 'p', TOKEN: 't', Secret: 's', token_id: 'tok-1', name: 'ci', role: 'operator' }),
    ).toEqual({ token_id: 'tok-1', name: 'ci', role: 'operator' });
  });

  it('drops them at any depth, inside nested objects and arrays', () => {
    expect(
      scrubAuditMetadata({
        request: { user: { email: 'a@example.com', password: 'hunter2' }, headers: { token: 'abc' } },
        items: [{ secret: 'x', keep: 1 }, [{ PASSWORD: 'y', ok: true }], 'plain', 3, null],
      }),
    ).toEqual({
      request: { user: { email: 'a@example.com' }, headers: {} },
      items: [{ keep: 1 }, [{ ok: true }], 'plain', 3, null],
    });
  });

  it('keeps keys that merely contain the words', () => {
    expect(scrubAuditMetadata({ token_name: 'ci', password_changed: true, secrets_count: 2 })).toEqual({
      token_name: 'ci',
      password_changed: true,
      secrets_count: 2,
    });
  });

  it('does not modify its input and returns an empty object for none', () => {
    const input = { nested: { token: 't' } };
    scrubAuditMetadata(input);
    expect(input).toEqual({ nested: { token: 't' } });
    expect(scrubAuditMetadata(undefined)).toEqual({});
  });
});
