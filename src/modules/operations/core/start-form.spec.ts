import { thrown } from '../../../../test/support/domain-errors';
import { START_FIELD_VALUES, StartForm, StartFormRegistry } from './start-form';

const sourceProfile: StartForm = { fields: [{ name: 'baseline_id', kind: 'baseline', rule: 'source' }] };
const anyProfile: StartForm = { fields: [{ name: 'baseline_id', kind: 'baseline', rule: 'any' }] };

describe('StartFormRegistry', () => {
  it('serves the form each type registered', () => {
    const registry = new StartFormRegistry();
    registry.registerAll([
      { type: 'baseline.capture', form: sourceProfile },
      { type: 'baseline.compare', form: anyProfile },
    ]);
    expect(registry.of('baseline.capture')).toBe(sourceProfile);
    expect(registry.of('baseline.compare')).toBe(anyProfile);
  });

  it('gives a type nobody registered a form for no fields', () => {
    const registry = new StartFormRegistry();
    registry.registerAll([{ type: 'baseline.capture', form: sourceProfile }]);
    expect(registry.of('inventory.sync').fields).toEqual([]);
    expect(new StartFormRegistry().of('baseline.capture').fields).toEqual([]);
  });

  it('lists each field name once however many forms declare it', () => {
    const registry = new StartFormRegistry();
    registry.registerAll([
      { type: 'baseline.capture', form: sourceProfile },
      { type: 'baseline.compare', form: anyProfile },
    ]);
    expect(registry.fields().map((f) => f.name)).toEqual(['baseline_id']);
    expect(new StartFormRegistry().fields()).toEqual([]);
  });

  it('fails fast when two forms are registered for one type', () => {
    const registry = new StartFormRegistry();
    const error = thrown(() =>
      registry.registerAll([
        { type: 'baseline.capture', form: sourceProfile },
        { type: 'baseline.capture', form: anyProfile },
      ]),
    );
    expect(error.code).toBe('invalid_start_forms');
    expect(error.message).toContain('baseline.capture: two start forms are registered');
  });

  it('fails fast when one field name means two kinds', () => {
    const registry = new StartFormRegistry();
    const other = { fields: [{ name: 'baseline_id', kind: 'other' as 'baseline', rule: 'any' as const }] };
    const error = thrown(() =>
      registry.registerAll([
        { type: 'baseline.capture', form: sourceProfile },
        { type: 'x.other', form: other },
      ]),
    );
    expect(error.message).toContain('x.other: field "baseline_id" is a other field here and a baseline field elsewhere');
  });

  it('reads a baseline field as an id', () => {
    const { pattern } = START_FIELD_VALUES.baseline;
    expect(pattern.test('00000000-0000-4000-8000-000000000001')).toBe(true);
    expect(pattern.test("1' or '1'='1")).toBe(false);
  });
});
