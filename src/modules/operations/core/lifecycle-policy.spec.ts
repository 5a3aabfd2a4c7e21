import { buildCatalogEntry } from '../../../../test/support/run-builder';
import { applyPolicyOverrides, longestBackoffS, parseOperationCatalogConfig } from './lifecycle-policy';
import { LifecyclePolicy } from './operation-type';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh, valid `inventory.sync` catalog entry (DEFAULT_POLICY, 120s expected) for each test to mutate. */
function rawType(): Raw {
  return buildCatalogEntry({ policy: { expected_duration_s: 120 } });
}

const catalogWith = (mutate: (t: Raw) => void): Raw => {
  const t = rawType();
  mutate(t);
  return { types: { 'inventory.sync': t } };
};

const policy = (p: Partial<LifecyclePolicy>): LifecyclePolicy => ({ ...rawType().policy, ...p });

describe('longestBackoffS', () => {
  it.each([
    ['single attempt never waits', { max_attempts: 1, backoff: { type: 'exponential', delay_s: 5 } }, 0],
    ['fixed, 2 attempts', { max_attempts: 2, backoff: { type: 'fixed', delay_s: 7 } }, 7],
    ['fixed, 5 attempts', { max_attempts: 5, backoff: { type: 'fixed', delay_s: 7 } }, 7],
    ['exponential, 2 attempts: only the first retry', { max_attempts: 2, backoff: { type: 'exponential', delay_s: 5 } }, 5],
    ['exponential, 3 attempts', { max_attempts: 3, backoff: { type: 'exponential', delay_s: 5 } }, 10],
    ['exponential, 5 attempts', { max_attempts: 5, backoff: { type: 'exponential', delay_s: 5 } }, 40],
    ['exponential, 4 attempts, 1.5s', { max_attempts: 4, backoff: { type: 'exponential', delay_s: 1.5 } }, 6],
  ] as const)('%s', (_name, p, expected) => {
    expect(longestBackoffS(policy(p as Partial<LifecyclePolicy>))).toBe(expected);
  });
});

describe('parseOperationCatalogConfig', () => {
  it('reads a valid type into a typed definition with the type name from the key', () => {
    const { definitions, errors } = parseOperationCatalogConfig(catalogWith(() => {}));
    expect(errors).toEqual([]);
    expect(definitions).toEqual([{ type: 'inventory.sync', ...rawType() }]);
  });

  it('defaults omitted aliases and phases to empty lists', () => {
    const { definitions, errors } = parseOperationCatalogConfig(
      catalogWith((t) => {
        delete t.aliases;
        delete t.phases;
      }),
    );
    expect(errors).toEqual([]);
    expect(definitions[0]).toMatchObject({ aliases: [], phases: [] });
  });

  it('accepts a composite type with a composite_unit', () => {
    const { definitions, errors } = parseOperationCatalogConfig(
      catalogWith((t) => Object.assign(t, { progress_mode: 'composite', composite_unit: 'evidence sections' })),
    );
    expect(errors).toEqual([]);
    expect(definitions[0].composite_unit).toBe('evidence sections');
  });

  it('leaves composite_unit absent when it is not declared', () => {
    const { definitions, errors } = parseOperationCatalogConfig(
      catalogWith((t) => (t.progress_mode = 'composite')),
    );
    expect(errors).toEqual([]);
    expect('composite_unit' in definitions[0]).toBe(false);
  });

  it('reads level: workspace, and leaves an environment type without the field', () => {
    const workspace = parseOperationCatalogConfig(catalogWith((t) => (t.level = 'workspace')));
    expect(workspace.errors).toEqual([]);
    expect(workspace.definitions[0].level).toBe('workspace');
    const environment = parseOperationCatalogConfig(catalogWith((t) => (t.level = 'environment')));
    expect(environment.errors).toEqual([]);
    expect('level' in environment.definitions[0]).toBe(false);
  });

  it('accepts a phased type with phases', () => {
    const phases = [
      { key: 'collect', label: 'Collecting inventory' },
      { key: 'store', label: 'Storing snapshot' },
    ];
    const { definitions, errors } = parseOperationCatalogConfig(
      catalogWith((t) => Object.assign(t, { progress_mode: 'phased', phases })),
    );
    expect(errors).toEqual([]);
    expect(definitions[0].phases).toEqual(phases);
  });

  it.each<[string, unknown, string[], string[]?]>([
    ['not an object', 'nope', ['operation catalog must be a JSON object with a "types" object']],
    ['no types', {}, ['operation catalog: types must be an object declaring at least one operation type']],
    ['empty types', { types: {} }, ['operation catalog: types must be an object declaring at least one operation type']],
    [
      'unknown top-level key',
      { types: { 'inventory.sync': rawType() }, typs: {} },
      ['operation catalog: typs is not a known field (expected one of types)'],
      ['inventory.sync'],
    ],
    ['type spec not an object', { types: { 'inventory.sync': 3 } }, ['inventory.sync: must be an object']],
    [
      'type name with a space',
      { types: { 'inventory sync': rawType() } },
      ['"inventory sync": type names must be non-empty and contain no spaces'],
    ],
  ])('top level: %s', (_name, raw, expected, types = []) => {
    const { definitions, errors } = parseOperationCatalogConfig(raw);
    expect(errors).toEqual(expected);
    expect(definitions.map((d) => d.type)).toEqual(types);
  });

  it.each<[string, (t: Raw) => void, string]>([
    ['heartbeat zero', (t) => (t.policy.heartbeat_s = 0), 'inventory.sync: policy.heartbeat_s must be a positive number'],
    ['heartbeat as string', (t) => (t.policy.heartbeat_s = '5'), 'inventory.sync: policy.heartbeat_s must be a positive number'],
    ['negative timeout', (t) => (t.policy.job_timeout_s = -1), 'inventory.sync: policy.job_timeout_s must be a positive number'],
    ['missing policy field', (t) => delete t.policy.stale_queued_after_s, 'inventory.sync: policy.stale_queued_after_s is required'],
    ['fractional attempts', (t) => (t.policy.max_attempts = 1.5), 'inventory.sync: policy.max_attempts must be an integer of at least 1'],
    ['zero attempts', (t) => (t.policy.max_attempts = 0), 'inventory.sync: policy.max_attempts must be an integer of at least 1'],
    [
      'unknown policy key (typo)',
      (t) => (t.policy.heartbeat = 5),
      'inventory.sync: policy.heartbeat is not a known field (expected one of expected_duration_s, heartbeat_s, stale_queued_after_s, stale_running_after_s, job_timeout_s, max_attempts, backoff)',
    ],
    [
      // The failed-job bridge finalizes every type; a switch that could not change that is refused.
      'terminal_truth_path (no longer a setting)',
      (t) => (t.policy.terminal_truth_path = 'scheduled_fallback'),
      'inventory.sync: policy.terminal_truth_path is not a known field (expected one of expected_duration_s, heartbeat_s, stale_queued_after_s, stale_running_after_s, job_timeout_s, max_attempts, backoff)',
    ],
    ['backoff not an object', (t) => (t.policy.backoff = 5), 'inventory.sync: policy.backoff must be an object with type and delay_s'],
    ['bad backoff type', (t) => (t.policy.backoff.type = 'linear'), 'inventory.sync: policy.backoff.type must be one of fixed, exponential'],
    ['missing backoff delay', (t) => delete t.policy.backoff.delay_s, 'inventory.sync: policy.backoff.delay_s is required'],
    [
      'unknown backoff key',
      (t) => (t.policy.backoff.jitter = 0.5),
      'inventory.sync: policy.backoff.jitter is not a known field (expected one of type, delay_s)',
    ],
    ['policy missing', (t) => delete t.policy, 'inventory.sync: no lifecycle policy (policy is required)'],
    ['policy not an object', (t) => (t.policy = []), 'inventory.sync: policy must be an object'],
    [
      'bad progress mode',
      (t) => (t.progress_mode = 'percent'),
      'inventory.sync: progress_mode must be one of none, activity, counted, phased, composite',
    ],
    ['empty label', (t) => (t.label = ' '), 'inventory.sync: label must be a non-empty string'],
    ['missing capability', (t) => delete t.capability, 'inventory.sync: capability must be a non-empty string'],
    ['module not a string', (t) => (t.module = 7), 'inventory.sync: module must be a non-empty string'],
    [
      'unknown type key',
      (t) => (t.capabilty = 'x'),
      'inventory.sync: capabilty is not a known field (expected one of label, module, capability, progress_mode, aliases, phases, composite_unit, level, policy)',
    ],
    ['aliases not an array', (t) => (t.aliases = 'inventory_sync'), 'inventory.sync: aliases must be an array of non-empty names without spaces'],
    ['empty alias', (t) => (t.aliases = ['']), 'inventory.sync: aliases must be an array of non-empty names without spaces'],
    ['phased without phases', (t) => (t.progress_mode = 'phased'), 'inventory.sync: a phased type needs at least one phase'],
    [
      'phases on a counted type',
      (t) => (t.phases = [{ key: 'a', label: 'A' }]),
      'inventory.sync: phases are only allowed when progress_mode is phased',
    ],
    ['phases not an array', (t) => (t.phases = {}), 'inventory.sync: phases must be an array of { key, label }'],
    [
      'phase with empty label',
      (t) => Object.assign(t, { progress_mode: 'phased', phases: [{ key: 'a', label: '' }] }),
      'inventory.sync: phases[0].label must be a non-empty string',
    ],
    [
      'phase not an object',
      (t) => Object.assign(t, { progress_mode: 'phased', phases: ['collect'] }),
      'inventory.sync: phases[0] must be an object with key and label',
    ],
    [
      'level unknown',
      (t) => (t.level = 'tenant'),
      'inventory.sync: level must be "environment" or "workspace"',
    ],
    [
      'composite_unit empty',
      (t) => Object.assign(t, { progress_mode: 'composite', composite_unit: '  ' }),
      'inventory.sync: composite_unit must be a non-empty string, e.g. "evidence sections"',
    ],
    [
      'composite_unit not a string',
      (t) => Object.assign(t, { progress_mode: 'composite', composite_unit: 3 }),
      'inventory.sync: composite_unit must be a non-empty string, e.g. "evidence sections"',
    ],
    [
      'composite_unit on a counted type',
      (t) => (t.composite_unit = 'evidence sections'),
      'inventory.sync: composite_unit is only allowed when progress_mode is composite',
    ],
    [
      'duplicate phase key',
      (t) => Object.assign(t, { progress_mode: 'phased', phases: [{ key: 'a', label: 'A' }, { key: 'a', label: 'B' }] }),
      'inventory.sync: phases[1].key "a" is declared twice',
    ],
  ])('type: %s', (_name, mutate, expected) => {
    const { definitions, errors } = parseOperationCatalogConfig(catalogWith(mutate));
    expect(errors).toEqual([expected]);
    // A type with any problem is left out so invariant checks never run on half-read data.
    expect(definitions).toEqual([]);
  });

  it('collects every problem across fields and types in one pass', () => {
    const broken = rawType();
    broken.policy.heartbeat_s = -5;
    broken.policy.backoff.type = 'linear';
    broken.progress_mode = 'bogus';
    const { definitions, errors } = parseOperationCatalogConfig({
      types: { 'inventory.sync': broken, 'baseline.capture': { ...rawType(), aliases: [] } },
    });
    expect(errors).toEqual([
      'inventory.sync: progress_mode must be one of none, activity, counted, phased, composite',
      'inventory.sync: policy.heartbeat_s must be a positive number',
      'inventory.sync: policy.backoff.type must be one of fixed, exponential',
    ]);
    expect(definitions.map((d) => d.type)).toEqual(['baseline.capture']);
  });

  it('reports alias collisions between types', () => {
    const { errors } = parseOperationCatalogConfig({
      types: { 'inventory.sync': rawType(), 'baseline.capture': rawType() },
    });
    expect(errors).toEqual(['baseline.capture: alias "inventory_sync" is already declared by inventory.sync']);
  });
});

describe('applyPolicyOverrides', () => {
  const [base] = parseOperationCatalogConfig(catalogWith(() => {})).definitions;

  it('returns the definitions unchanged when there are no overrides', () => {
    expect(applyPolicyOverrides([base], null)).toEqual({ definitions: [base], errors: [] });
    expect(applyPolicyOverrides([base], undefined)).toEqual({ definitions: [base], errors: [] });
  });

  it('overrides only the named fields of a canonical type', () => {
    const { definitions, errors } = applyPolicyOverrides([base], {
      'inventory.sync': { heartbeat_s: 1, stale_running_after_s: 8 },
    });
    expect(errors).toEqual([]);
    expect(definitions[0].policy).toEqual({ ...base.policy, heartbeat_s: 1, stale_running_after_s: 8 });
  });

  it('accepts a legacy alias as the key and applies to the canonical type', () => {
    const { definitions, errors } = applyPolicyOverrides([base], { inventory_sync: { job_timeout_s: 30 } });
    expect(errors).toEqual([]);
    expect(definitions[0].type).toBe('inventory.sync');
    expect(definitions[0].policy.job_timeout_s).toBe(30);
  });

  it('merges a partial backoff into the existing backoff', () => {
    const { definitions } = applyPolicyOverrides([base], { 'inventory.sync': { backoff: { delay_s: 2 } } });
    expect(definitions[0].policy.backoff).toEqual({ type: 'exponential', delay_s: 2 });
  });

  it('does not mutate the input definitions', () => {
    const before = JSON.parse(JSON.stringify(base));
    const { definitions } = applyPolicyOverrides([base], { 'inventory.sync': { heartbeat_s: 1, backoff: { delay_s: 1 } } });
    expect(base).toEqual(before);
    expect(definitions[0]).not.toBe(base);
  });

  it.each<[string, unknown, string]>([
    ['not an object', [1], 'OPS_LIFECYCLE_OVERRIDES must be an object keyed by operation type'],
    [
      'unknown type',
      { 'policy.sync': { heartbeat_s: 1 } },
      'OPS_LIFECYCLE_OVERRIDES: unknown operation type "policy.sync" (known types: inventory.sync)',
    ],
    [
      'unknown key',
      { 'inventory.sync': { heartbeat: 1 } },
      'OPS_LIFECYCLE_OVERRIDES: inventory.sync: heartbeat is not a known field (expected one of expected_duration_s, heartbeat_s, stale_queued_after_s, stale_running_after_s, job_timeout_s, max_attempts, backoff)',
    ],
    [
      'terminal_truth_path (no longer a setting)',
      { 'inventory.sync': { terminal_truth_path: 'direct' } },
      'OPS_LIFECYCLE_OVERRIDES: inventory.sync: terminal_truth_path is not a known field (expected one of expected_duration_s, heartbeat_s, stale_queued_after_s, stale_running_after_s, job_timeout_s, max_attempts, backoff)',
    ],
    ['zero', { 'inventory.sync': { heartbeat_s: 0 } }, 'OPS_LIFECYCLE_OVERRIDES: inventory.sync: heartbeat_s must be a positive number'],
    ['negative via alias', { inventory_sync: { stale_queued_after_s: -1 } }, 'OPS_LIFECYCLE_OVERRIDES: inventory_sync: stale_queued_after_s must be a positive number'],
    ['bad backoff delay', { 'inventory.sync': { backoff: { delay_s: 0 } } }, 'OPS_LIFECYCLE_OVERRIDES: inventory.sync: backoff.delay_s must be a positive number'],
    [
      'unknown backoff key',
      { 'inventory.sync': { backoff: { delay: 1 } } },
      'OPS_LIFECYCLE_OVERRIDES: inventory.sync: backoff.delay is not a known field (expected one of type, delay_s)',
    ],
    ['type value not an object', { 'inventory.sync': 5 }, 'OPS_LIFECYCLE_OVERRIDES: inventory.sync must be an object of policy fields'],
    [
      'same type twice via alias',
      { 'inventory.sync': { heartbeat_s: 1 }, inventory_sync: { heartbeat_s: 2 } },
      'OPS_LIFECYCLE_OVERRIDES: inventory.sync is overridden twice (as "inventory.sync" and "inventory_sync")',
    ],
  ])('rejects %s', (_name, overrides, expected) => {
    expect(applyPolicyOverrides([base], overrides).errors).toEqual([expected]);
  });

  it('keeps the original value for a rejected field', () => {
    const { definitions, errors } = applyPolicyOverrides([base], {
      'inventory.sync': { heartbeat_s: -1, job_timeout_s: 900 },
    });
    expect(errors).toHaveLength(1);
    expect(definitions[0].policy.heartbeat_s).toBe(5);
    expect(definitions[0].policy.job_timeout_s).toBe(900);
  });
});
