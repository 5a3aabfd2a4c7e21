import { createHash } from 'node:crypto';
import { API_TOKEN_PREFIX, hashApiToken, looksLikeApiToken, newApiToken } from './api-token';

describe('personal API tokens', () => {
  it('are "odk_" + 43 base64url characters (32 random bytes)', () => {
    const token = newApiToken();
    expect(token).toMatch(/^odk_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(looksLikeApiToken(token)).toBe(true);
  });

  it('are never repeated', () => {
    const tokens = new Set(Array.from({ length: 200 }, newApiToken));
    expect(tokens.size).toBe(200);
  });

  it('hash to the sha256 hex of the whole token, prefix included', () => {
    const token = 'odk_' + 'a'.repeat(43);
    expect(hashApiToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('rejects malformed tokens before any lookup', () => {
    for (const bad of ['', 'odk_', 'odk_' + 'a'.repeat(42), 'odk_' + 'a'.repeat(44), 'xyz_' + 'a'.repeat(43), 'odk_' + '+'.repeat(43)]) {
      expect(looksLikeApiToken(bad)).toBe(false);
    }
  });
});
