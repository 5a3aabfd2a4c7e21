import { DomainError } from '../../../shared/core/domain-error';
import { assertAcceptablePassword } from './password-policy';

const reason = (password: string): string | null => {
  try {
    assertAcceptablePassword(password);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('weak_password');
    return (error as DomainError).message;
  }
};

describe('password rules', () => {
  it('needs at least 10 characters', () => {
    expect(reason('123456789')).toBe('Passwords must be at least 10 characters long.');
    expect(reason('1234567890')).toBeNull();
    expect(reason('')).toMatch(/at least 10/);
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(reason('😀'.repeat(9))).toMatch(/at least 10/); // 18 UTF-16 units, 9 characters
    expect(reason('é'.repeat(10))).toBeNull();
  });

  it('refuses what bcrypt would truncate (over 72 bytes)', () => {
    expect(reason('a'.repeat(72))).toBeNull();
    expect(reason('a'.repeat(73))).toBe('Passwords can be at most 72 bytes long.');
    expect(reason('é'.repeat(37))).toMatch(/at most 72 bytes/); // 74 bytes
  });

  it('refuses a password of only spaces', () => {
    expect(reason(' '.repeat(12))).toBe('Passwords cannot be only spaces.');
  });
});
