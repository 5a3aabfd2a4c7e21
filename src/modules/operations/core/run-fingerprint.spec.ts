import { computeRunFingerprint } from './run-fingerprint';

const base = {
  type: 'baseline.compare',
  workspaceId: '00000000-0000-4000-8000-0000000000a1',
  environmentId: '00000000-0000-4000-8000-0000000000e1' as string | null,
  basis: { baseline_id: 'b-1', options: { include: ['policies', 'apps'], strict: true } } as unknown,
};

describe('computeRunFingerprint', () => {
  it('is a sha256 hex digest', () => {
    expect(computeRunFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic', () => {
    expect(computeRunFingerprint(base)).toBe(computeRunFingerprint({ ...base }));
  });

  it('ignores the key order of the inputs, at every depth', () => {
    const reordered = { options: { strict: true, include: ['policies', 'apps'] }, baseline_id: 'b-1' };
    expect(computeRunFingerprint({ ...base, basis: reordered })).toBe(computeRunFingerprint(base));
  });

  it('ignores the key order of the parts object itself', () => {
    const { basis, environmentId, type, workspaceId } = base;
    expect(computeRunFingerprint({ basis, environmentId, type, workspaceId })).toBe(computeRunFingerprint(base));
  });

  it('treats array order as meaningful', () => {
    const swapped = { baseline_id: 'b-1', options: { include: ['apps', 'policies'], strict: true } };
    expect(computeRunFingerprint({ ...base, basis: swapped })).not.toBe(computeRunFingerprint(base));
  });

  it.each<[string, Partial<typeof base>]>([
    ['another environment', { environmentId: '00000000-0000-4000-8000-0000000000e2' }],
    ['a null environment (workspace-level work)', { environmentId: null }],
    ['another workspace', { workspaceId: '00000000-0000-4000-8000-0000000000a2' }],
    ['another type', { type: 'baseline.capture' }],
    ['another input value', { basis: { baseline_id: 'b-2', options: { include: ['policies', 'apps'], strict: true } } }],
    ['a nested input difference', { basis: { baseline_id: 'b-1', options: { include: ['policies', 'apps'], strict: false } } }],
    ['an extra input key', { basis: { baseline_id: 'b-1', options: { include: ['policies', 'apps'], strict: true }, x: 1 } }],
    ['no inputs', { basis: {} }],
  ])('differs for %s', (_label, change) => {
    expect(computeRunFingerprint({ ...base, ...change })).not.toBe(computeRunFingerprint(base));
  });

  it('gives the same fingerprint to two workspace-level requests (null environment)', () => {
    expect(computeRunFingerprint({ ...base, environmentId: null })).toBe(
      computeRunFingerprint({ ...base, environmentId: null }),
    );
  });

  it('does not confuse parts that concatenate to the same text', () => {
    const a = computeRunFingerprint({ ...base, type: 'a.b', workspaceId: 'c' });
    const b = computeRunFingerprint({ ...base, type: 'a', workspaceId: '.bc' });
    expect(a).not.toBe(b);
  });
});
