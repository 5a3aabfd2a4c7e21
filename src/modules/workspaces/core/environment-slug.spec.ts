import { environmentDisplayName, environmentSlug } from './environment-slug';

describe('environmentSlug', () => {
  it.each(['a', '7', 'contoso-hq', 'eu-west-2', 'a'.repeat(63), 'a--b'])('accepts %p', (slug) => {
    expect(environmentSlug(slug)).toBe(slug);
  });

  it.each(['', 'A', 'Contoso', 'contoso_hq', '-hq', 'hq-', 'a'.repeat(64), 'contoso hq', 'hq.', 'héq', 'hq\u0000', 42, null, undefined])(
    'refuses %p with invalid_slug',
    (slug) => {
      expect(() => environmentSlug(slug)).toThrow(expect.objectContaining({ code: 'invalid_slug', kind: 'invalid' }));
    },
  );
});

describe('environmentDisplayName', () => {
  it('trims and keeps the name', () => {
    expect(environmentDisplayName('  Contoso HQ ')).toBe('Contoso HQ');
  });

  it.each(['', '   ', 7, undefined, 'x'.repeat(121)])('refuses %p', (name) => {
    expect(() => environmentDisplayName(name)).toThrow(expect.objectContaining({ code: 'invalid_display_name' }));
  });
});
