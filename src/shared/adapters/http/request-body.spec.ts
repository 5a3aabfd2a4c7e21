import { describeBodyRefusal, jsonNestsDeeperThan, MAX_JSON_DEPTH, verifyJsonBody } from './request-body';

const nested = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));

describe('request body refusals', () => {
  it('measures nesting outside strings only, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    const brackets = JSON.stringify({ text: '[[[[{{{{ \\" [[[[' .repeat(20) });
    expect(jsonNestsDeeperThan(Buffer.from(brackets), 2)).toBe(false);
    // Siblings do not add up: depth returns when a container closes.
    expect(jsonNestsDeeperThan(Buffer.from(JSON.stringify(Array.from({ length: 50 }, () => [[1]]))), 3)).toBe(false);
  });

  it('refuses in verify (before JSON.parse): too deep → 400, a charset other than UTF-8 → 415', () => {
    expect(() => verifyJsonBody(null, null, nested(3), 'utf-8')).not.toThrow();
    expect(() => verifyJsonBody(null, null, nested(MAX_JSON_DEPTH + 1), 'utf-8')).toThrow(expect.objectContaining({ status: 400, type: 'json.too.deep' }));
    expect(() => verifyJsonBody(null, null, nested(1), 'utf-16le')).toThrow(expect.objectContaining({ status: 415, type: 'charset.unsupported' }));
  });

  it('maps parser refusals to a status and code, and leaves other errors alone', () => {
    expect(describeBodyRefusal({ type: 'encoding.unsupported', status: 415 })).toEqual({
      status: 415,
      body: { error: { code: 'unsupported_content_encoding', message: expect.stringContaining('Content-Encoding') } },
    });
    expect(describeBodyRefusal({ type: 'request.aborted', status: 400 })?.status).toBe(400);
    expect(describeBodyRefusal({ type: 'stream.encoding.set', status: 500 })).toBeNull();
    expect(describeBodyRefusal(new Error('boom'))).toBeNull();
    expect(describeBodyRefusal(null)).toBeNull();
  });
});
