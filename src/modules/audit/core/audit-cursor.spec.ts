import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

const ID = '6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b';
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

describe('audit cursor', () => {
  it('round-trips the last event position (time with microseconds, public id) through an opaque string', () => {
    const cursor = { at: '2026-11-22T07:40:11.932104Z', id: ID };
    const raw = encodeAuditCursor(cursor);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(raw).not.toContain(ID);
    expect(decodeAuditCursor(raw)).toEqual(cursor);
    expect(decodeAuditCursor(encodeAuditCursor({ ...cursor, id: ID.toUpperCase() }))).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['no separator', cursorOf('2026-11-22T07:40:11.932Z')],
    ['bad date', cursorOf(`yesterday|${ID}`)],
    ['impossible date', cursorOf(`2026-13-45T99:99:99.000Z|${ID}`)],
    ['31 February', cursorOf(`2026-02-31T10:00:00.000000Z|${ID}`)],
    ['year 0', cursorOf(`0000-01-01T00:00:00.000000Z|${ID}`)],
    ['a sequential id', cursorOf('2026-11-22T07:40:11.932Z|12345')],
    ['an id beyond bigint', cursorOf('2026-11-22T07:40:11.932Z|9999999999999999999')],
    ['non-UUID id', cursorOf('2026-11-22T07:40:11.932Z|1; drop')],
    ['extra part', cursorOf(`2026-11-22T07:40:11.932Z|${ID}|2`)],
    ['too long', 'a'.repeat(201)],
  ])('rejects %s', (_name, raw) => {
    expect(decodeAuditCursor(raw)).toBeNull();
  });
});
