import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

describe('audit cursor', () => {
  it('round-trips the last event position through an opaque string', () => {
    const cursor = { at: new Date('2026-11-22T07:40:11.932Z'), id: '12345' };
    const raw = encodeAuditCursor(cursor);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(raw).not.toContain('12345');
    expect(decodeAuditCursor(raw)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['no separator', Buffer.from('2026-11-22T07:40:11.932Z').toString('base64url')],
    ['bad date', Buffer.from('yesterday|12').toString('base64url')],
    ['impossible date', Buffer.from('2026-13-45T99:99:99.000Z|12').toString('base64url')],
    ['non-numeric id', Buffer.from('2026-11-22T07:40:11.932Z|1; drop').toString('base64url')],
    ['extra part', Buffer.from('2026-11-22T07:40:11.932Z|1|2').toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('rejects %s', (_name, raw) => {
    expect(decodeAuditCursor(raw)).toBeNull();
  });
});
