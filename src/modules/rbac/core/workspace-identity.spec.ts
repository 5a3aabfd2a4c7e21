import { assertValidWorkspaceName, assertValidWorkspaceSlug } from './workspace-identity';

describe('workspace identity', () => {
  it.each(['a', 'contoso', 'contoso-msp', 'ws-2', '9', 'a'.repeat(63)])('accepts the slug %s', (slug) => {
    expect(assertValidWorkspaceSlug(slug)).toBe(slug);
  });

  it.each(['', 'Contoso', '-a', 'a-', 'a_b', 'a b', 'a'.repeat(64), 'ä', 'a/b', 'a.b'])('refuses the slug %j', (slug) => {
    expect(() => assertValidWorkspaceSlug(slug)).toThrow(expect.objectContaining({ code: 'invalid_workspace_slug' }));
  });

  it('trims names and refuses blank, control characters and long ones', () => {
    expect(assertValidWorkspaceName('  Contoso MSP ')).toBe('Contoso MSP');
    for (const bad of ['', '   ', 'a\u0000b', 'x'.repeat(121)]) {
      expect(() => assertValidWorkspaceName(bad)).toThrow(expect.objectContaining({ code: 'invalid_workspace_name' }));
    }
  });
});
