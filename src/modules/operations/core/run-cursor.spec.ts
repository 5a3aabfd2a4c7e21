import { decodeRunCursor, encodeRunCursor } from './run-cursor';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('run cursor', () => {
  it('round-trips (created_at with microseconds, id) through an opaque base64url string', () => {
    const cursor = { createdAt: '2025-01-15T10:00:00.123456Z', id: ID };
    const encoded = encodeRunCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain(ID);
    expect(decodeRunCursor(encoded)).toEqual(cursor);
  });

  it('normalizes the id to lower case', () => {
    expect(decodeRunCursor(encodeRunCursor({ createdAt: '2025-01-15T10:00:00Z', id: ID.toUpperCase() }))?.id).toBe(ID);
  });

  it.each([
    ['empty', ''],
    ['not base64url', '{"a":1}'],
    ['random text', Buffer.from('hello').toString('base64url')],
    ['missing id', Buffer.from('2025-01-15T10:00:00Z|').toString('base64url')],
    ['bad id', Buffer.from('2025-01-15T10:00:00Z|not-a-uuid').toString('base64url')],
    ['bad date', Buffer.from(`2025-13-45T99:00:00Z|${ID}`).toString('base64url')],
    ['local time', Buffer.from(`2025-01-15T10:00:00+02:00|${ID}`).toString('base64url')],
    // Dates JavaScript rolls over or accepts but PostgreSQL refuses: never sent to the database.
    ['31 February', Buffer.from(`2026-02-31T10:00:00.000000Z|${ID}`).toString('base64url')],
    ['year 0', Buffer.from(`0000-01-01T00:00:00Z|${ID}`).toString('base64url')],
    ['hour 24', Buffer.from(`2026-01-01T24:00:00Z|${ID}`).toString('base64url')],
    ['extra part', Buffer.from(`2025-01-15T10:00:00Z|${ID}|x`).toString('base64url')],
    ['too long', 'A'.repeat(500)],
  ])('rejects %s', (_name, raw) => {
    expect(decodeRunCursor(raw)).toBeNull();
  });
});
