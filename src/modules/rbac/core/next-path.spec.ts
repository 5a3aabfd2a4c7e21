import { sanitizeNextPath } from './next-path';

describe('sanitizeNextPath (where to go after sign-in)', () => {
  it.each([
    '/',
    '/workspaces/contoso-msp',
    '/workspaces/contoso-msp/operations?tab=active_stale_attention&environment=fabrikam',
    '/runs/1#timeline',
  ])('keeps the same-site path %s', (path) => {
    expect(sanitizeNextPath(path)).toBe(path);
  });

  it.each([
    ['protocol-relative', '//evil.com'],
    ['protocol-relative with path', '//evil.com/login'],
    ['absolute https', 'https://evil.com'],
    ['absolute http', 'http://evil.com/'],
    ['javascript', 'javascript:alert(1)'],
    ['backslash host', '/\\evil.com'],
    ['backslash later', '/a\\b'],
    ['relative', 'workspaces'],
    ['tab', '/\t/evil.com'],
    ['newline', '/\nevil'],
    ['space', '/ /evil.com'],
    ['empty', ''],
  ])('refuses %s (%j)', (_label, path) => {
    expect(sanitizeNextPath(path)).toBe('/');
  });

  it('refuses anything that is not one string', () => {
    for (const value of [undefined, null, 42, ['/a', '/b'], { path: '/a' }]) expect(sanitizeNextPath(value)).toBe('/');
  });

  it('refuses absurdly long values', () => {
    expect(sanitizeNextPath('/' + 'a'.repeat(5000))).toBe('/');
  });
});
