import { decodeNotificationCursor, encodeNotificationCursor } from './notification-cursor';

describe('notification cursor', () => {
  const cursor = { createdAt: new Date('2026-11-22T09:30:05.123Z'), id: '0a1b2c3d-0000-4000-8000-000000000001' };

  it('round-trips', () => {
    expect(decodeNotificationCursor(encodeNotificationCursor(cursor))).toEqual(cursor);
  });

  it.each([undefined, 42, '', 'not a cursor!', Buffer.from('x|y').toString('base64url'), Buffer.from(`2026-11-22T09:30:05Z|1; drop table`).toString('base64url'),
    // Dates JavaScript rolls over (31 February → 3 March) or PostgreSQL has no year for.
    Buffer.from(`2026-02-31T09:30:05.000Z|${cursor.id}`).toString('base64url'),
    Buffer.from(`0000-01-01T00:00:00.000Z|${cursor.id}`).toString('base64url')])(
    'rejects %p',
    (raw) => {
      expect(decodeNotificationCursor(raw)).toBeNull();
    },
  );
});
