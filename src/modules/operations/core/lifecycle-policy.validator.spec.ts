import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDefinition } from '../../../../test/support/run-builder';
import { applyPolicyOverrides, parseOperationCatalogConfig } from './lifecycle-policy';
import { LifecycleConfigError, QueueTimingSettings, validateLifecyclePolicies } from './lifecycle-policy.validator';
import { LifecyclePolicy, OperationTypeDefinition } from './operation-type';

const DEFAULT_QUEUE: QueueTimingSettings = { lockDurationMs: 30000, stalledIntervalMs: 30000 };
/** Lock + stall = 2s: small enough that only the invariant under test can fail. */
const FAST_QUEUE: QueueTimingSettings = { lockDurationMs: 1000, stalledIntervalMs: 1000 };

/**
 * A valid policy under both queue timings: DEFAULT_POLICY (heartbeat 5s, queued 300s, running 90s,
 * timeout 600s, 3 attempts, exponential 5s backoff) with a 120s expected duration, then `policy`.
 */
function def(policy: Partial<LifecyclePolicy>, type = 'inventory.sync'): OperationTypeDefinition {
  return buildDefinition({ type, label: type, capability: type, aliases: [], policy: { expected_duration_s: 120, ...policy } });
}

function shippedDefinitions(): OperationTypeDefinition[] {
  const file = join(__dirname, '../../../../config/operation-catalog.json');
  const parsed = parseOperationCatalogConfig(JSON.parse(readFileSync(file, 'utf8')));
  expect(parsed.errors).toEqual([]);
  return parsed.definitions;
}

describe('validateLifecyclePolicies', () => {
  it('finds nothing wrong with a good policy, under both fast and default queue timings', () => {
    expect(validateLifecyclePolicies([def({})], FAST_QUEUE)).toEqual([]);
    expect(validateLifecyclePolicies([def({})], DEFAULT_QUEUE)).toEqual([]);
  });

  it.each<[string, Partial<LifecyclePolicy>, QueueTimingSettings, string]>([
    [
      'stale running window shorter than three heartbeats',
      { stale_running_after_s: 12 },
      FAST_QUEUE,
      'inventory.sync: stale_running_after_s (12s) is shorter than three heartbeat intervals (3 × 5s = 15s)',
    ],
    [
      'heartbeat not shorter than the stale running window',
      { heartbeat_s: 20, stale_running_after_s: 20 },
      FAST_QUEUE,
      'inventory.sync: heartbeat_s (20s) is not shorter than stale_running_after_s (20s)',
    ],
    [
      'stale running window shorter than lock + stall check',
      { stale_running_after_s: 50 },
      DEFAULT_QUEUE,
      'inventory.sync: stale_running_after_s (50s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
    ],
    [
      'stale running window shorter than the longest exponential backoff',
      { stale_running_after_s: 30, max_attempts: 4, backoff: { type: 'exponential', delay_s: 10 } },
      FAST_QUEUE,
      'inventory.sync: stale_running_after_s (30s) is shorter than the longest retry backoff (40s)',
    ],
    [
      'stale running window shorter than a fixed backoff',
      { stale_running_after_s: 30, backoff: { type: 'fixed', delay_s: 31 } },
      FAST_QUEUE,
      'inventory.sync: stale_running_after_s (30s) is shorter than the longest retry backoff (31s)',
    ],
    [
      'stale queued window shorter than lock + stall check',
      { stale_queued_after_s: 45 },
      DEFAULT_QUEUE,
      'inventory.sync: stale_queued_after_s (45s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
    ],
    [
      'job timeout shorter than the expected duration',
      { job_timeout_s: 100 },
      FAST_QUEUE,
      'inventory.sync: job_timeout_s (100s) is shorter than expected_duration_s (120s)',
    ],
    ['zero attempts', { max_attempts: 0 }, FAST_QUEUE, 'inventory.sync: max_attempts (0) must be an integer of at least 1'],
    ['fractional attempts', { max_attempts: 2.5 }, FAST_QUEUE, 'inventory.sync: max_attempts (2.5) must be an integer of at least 1'],
    ['zero heartbeat', { heartbeat_s: 0 }, FAST_QUEUE, 'inventory.sync: heartbeat_s (0) must be a positive number'],
    ['NaN stale window', { stale_running_after_s: NaN }, FAST_QUEUE, 'inventory.sync: stale_running_after_s (NaN) must be a positive number'],
    [
      'unknown backoff type',
      { backoff: { type: 'linear' as 'fixed', delay_s: 5 } },
      FAST_QUEUE,
      'inventory.sync: backoff must be { type: fixed | exponential, delay_s: positive number }',
    ],
  ])('reports exactly one violation for: %s', (_name, policy, queue, expected) => {
    expect(validateLifecyclePolicies([def(policy)], queue)).toEqual([expected]);
  });

  it('accepts windows exactly at each boundary', () => {
    const atBoundary = def({
      heartbeat_s: 20,
      stale_running_after_s: 60, // = 3 × 20, = 30 + 30, > longest backoff 10
      stale_queued_after_s: 60,
      job_timeout_s: 120,
    });
    expect(validateLifecyclePolicies([atBoundary], DEFAULT_QUEUE)).toEqual([]);
  });

  it('ignores backoff when a single attempt never retries', () => {
    const once = def({ max_attempts: 1, stale_running_after_s: 30, backoff: { type: 'fixed', delay_s: 600 } });
    expect(validateLifecyclePolicies([once], FAST_QUEUE)).toEqual([]);
  });

  it('lists violations of several types and invariants together, named by type', () => {
    const violations = validateLifecyclePolicies(
      [def({ job_timeout_s: 60 }, 'a.one'), def({ stale_queued_after_s: 10, stale_running_after_s: 12 }, 'b.two')],
      DEFAULT_QUEUE,
    );
    expect(violations).toEqual([
      'a.one: job_timeout_s (60s) is shorter than expected_duration_s (120s)',
      'b.two: stale_running_after_s (12s) is shorter than three heartbeat intervals (3 × 5s = 15s)',
      'b.two: stale_running_after_s (12s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
      'b.two: stale_queued_after_s (10s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
    ]);
  });

  it('reports every catalog type without a policy', () => {
    const violations = validateLifecyclePolicies([def({})], FAST_QUEUE, {
      catalogTypes: ['inventory.sync', 'baseline.capture', 'baseline.compare'],
    });
    expect(violations).toEqual(['baseline.capture: no lifecycle policy', 'baseline.compare: no lifecycle policy']);
  });

  it('treats a definition whose policy is missing at runtime as having no policy', () => {
    const bare = { ...def({}), policy: undefined } as unknown as OperationTypeDefinition;
    expect(validateLifecyclePolicies([bare], FAST_QUEUE)).toEqual(['inventory.sync: no lifecycle policy']);
    expect(validateLifecyclePolicies([bare], FAST_QUEUE, { catalogTypes: ['inventory.sync'] })).toEqual([
      'inventory.sync: no lifecycle policy',
    ]);
  });

  it('the shipped config/operation-catalog.json is valid with default queue timings', () => {
    const defs = shippedDefinitions();
    const types = [
      'inventory.sync',
      'baseline.capture',
      'baseline.compare',
      'environment.review.compose',
      'operations.bulk_cancel',
      'operations.bulk_retry',
      'operations.fan_out',
    ];
    expect(defs.map((d) => d.type)).toEqual(types);
    expect(validateLifecyclePolicies(defs, DEFAULT_QUEUE, { catalogTypes: types })).toEqual([]);
  });

  describe('the issue example override {"inventory.sync":{"heartbeat_s":1,"stale_running_after_s":8,"job_timeout_s":30}}', () => {
    const override = { 'inventory.sync': { heartbeat_s: 1, stale_running_after_s: 8, job_timeout_s: 30 } };
    const overridden = () => {
      const result = applyPolicyOverrides(shippedDefinitions(), override);
      expect(result.errors).toEqual([]);
      return result.definitions;
    };

    it('is rejected with default timings because 8s is shorter than lock + stall (60s)', () => {
      expect(validateLifecyclePolicies(overridden(), DEFAULT_QUEUE)).toEqual([
        'inventory.sync: stale_running_after_s (8s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
        'inventory.sync: stale_running_after_s (8s) is shorter than the longest retry backoff (10s)',
        'inventory.sync: job_timeout_s (30s) is shorter than expected_duration_s (120s)',
      ]);
    });

    it('no longer breaks the lock + stall rule with lock 2000 / stall 2000, but still breaks two other invariants', () => {
      // The shipped policy keeps expected_duration_s 120 and 3 attempts with 5s exponential
      // backoff (longest wait 10s), so this override alone can never be valid.
      expect(validateLifecyclePolicies(overridden(), { lockDurationMs: 2000, stalledIntervalMs: 2000 })).toEqual([
        'inventory.sync: stale_running_after_s (8s) is shorter than the longest retry backoff (10s)',
        'inventory.sync: job_timeout_s (30s) is shorter than expected_duration_s (120s)',
      ]);
    });

    it('passes with lock 2000 / stall 2000 once expected duration and backoff are shortened too', () => {
      const { definitions, errors } = applyPolicyOverrides(shippedDefinitions(), {
        'inventory.sync': { ...override['inventory.sync'], expected_duration_s: 20, backoff: { delay_s: 2 } },
      });
      expect(errors).toEqual([]);
      expect(validateLifecyclePolicies(definitions, { lockDurationMs: 2000, stalledIntervalMs: 2000 })).toEqual([]);
      expect(validateLifecyclePolicies(definitions, DEFAULT_QUEUE)).toHaveLength(1);
    });
  });
});

describe('LifecycleConfigError', () => {
  it('keeps the violations and lists them one per line', () => {
    const e = new LifecycleConfigError(['a: first', 'b: second']);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('LifecycleConfigError');
    expect(e.violations).toEqual(['a: first', 'b: second']);
    expect(e.message).toBe('Lifecycle configuration is invalid:\n - a: first\n - b: second');
  });
});
