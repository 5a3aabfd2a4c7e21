import { createHash } from 'node:crypto';
import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import { isDomainError } from '../../../shared/core/domain-error';
import {
  API_TOKEN_PREFIX,
  cleanTokenName,
  hashApiToken,
  isTokenExpired,
  looksLikeApiToken,
  MAX_TOKEN_LIFETIME_DAYS,
  newApiToken,
  tokenExpiresAt,
} from './api-token';

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : 'not a DomainError';
  }
};

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

  it('names are trimmed, and blank or over-long names refused', () => {
    expect(cleanTokenName('  deploy bot ')).toBe('deploy bot');
    expect(cleanTokenName('x'.repeat(100))).toHaveLength(100);
    for (const bad of ['', '   ', '\t\n', 'x'.repeat(101)]) expect(codeOf(() => cleanTokenName(bad))).toBe('invalid_token_name');
  });
});

describe('API token expiry (fake clock)', () => {
  it('a lifetime of n days ends exactly n × 24 h after creation; none means never', () => {
    const clock = new FakeClock(new Date('2026-12-06T10:00:00.000Z'));
    expect(tokenExpiresAt(clock.now(), 30)).toEqual(new Date('2027-01-05T10:00:00.000Z'));
    expect(tokenExpiresAt(clock.now(), 1)).toEqual(new Date('2026-12-07T10:00:00.000Z'));
    expect(tokenExpiresAt(clock.now(), MAX_TOKEN_LIFETIME_DAYS)).toEqual(new Date('2027-12-06T10:00:00.000Z'));
    expect(tokenExpiresAt(clock.now(), null)).toBeNull();
    expect(tokenExpiresAt(clock.now(), undefined)).toBeNull();
  });

  it('refuses lifetimes that are not whole days from 1 to the maximum', () => {
    const now = new FakeClock().now();
    for (const bad of [0, -1, 1.5, MAX_TOKEN_LIFETIME_DAYS + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect({ bad, code: codeOf(() => tokenExpiresAt(now, bad)) }).toEqual({ bad, code: 'invalid_token_expiry' });
    }
  });

  it('is valid until its expiry instant and expired from that instant on', () => {
    const clock = new FakeClock(new Date('2026-12-06T10:00:00.000Z'));
    const expiresAt = tokenExpiresAt(clock.now(), 1)!;
    expect(isTokenExpired(expiresAt, clock.now())).toBe(false);
    clock.advance(24 * 3600 - 0.001);
    expect(isTokenExpired(expiresAt, clock.now())).toBe(false);
    clock.advance(0.001);
    expect(isTokenExpired(expiresAt, clock.now())).toBe(true);
    clock.advance(3600);
    expect(isTokenExpired(expiresAt, clock.now())).toBe(true);
  });

  it('a token without an expiry never expires', () => {
    const clock = new FakeClock();
    clock.advance(100 * 365 * 24 * 3600);
    expect(isTokenExpired(null, clock.now())).toBe(false);
  });
});
