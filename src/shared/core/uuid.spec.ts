import { isUuid, UUID_PATTERN } from './uuid';

describe('isUuid', () => {
  it.each(['5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6e', '5F0C6D52-8F0B-4D0E-9F7C-1D2A3B4C5D6E', '00000000-0000-0000-0000-000000000000'])(
    'accepts %s',
    (text) => expect(isUuid(text)).toBe(true),
  );

  it.each([
    ['empty', ''],
    ['no dashes', '5f0c6d528f0b4d0e9f7c1d2a3b4c5d6e'],
    ['too short', '5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6'],
    ['a non-hex digit', '5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6g'],
    ['surrounding text', ' 5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6e'],
    ['a trailing newline', '5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6e\n'],
    ['an SQL fragment', "1' or '1'='1"],
  ])('refuses %s', (_why, text) => expect(isUuid(text)).toBe(false));

  it('keeps no state between calls (the pattern has no global flag)', () => {
    expect(UUID_PATTERN.flags).not.toContain('g');
    expect(isUuid('5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6e')).toBe(true);
    expect(isUuid('5f0c6d52-8f0b-4d0e-9f7c-1d2a3b4c5d6e')).toBe(true);
  });
});
