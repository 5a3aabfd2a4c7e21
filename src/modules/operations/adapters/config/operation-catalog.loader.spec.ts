import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalogEntry } from '../../../../../test/support/run-builder';
import { AppConfig, loadAppConfig } from '../../../../shared/adapters/config/app-config';
import { LifecycleConfigError } from '../../core/lifecycle-policy.validator';
import { loadOperationCatalog, loadOperationCatalogFrom } from './operation-catalog.loader';

const defaults = (): AppConfig => loadAppConfig({});

function violationsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof LifecycleConfigError) return e.violations;
    throw e;
  }
  throw new Error('expected a LifecycleConfigError');
}

/** A catalog file with a valid `inventory.sync` (DEFAULT_POLICY, 120s expected), `policy` over it, and `extra` types. */
function catalog(policy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const entry = buildCatalogEntry({ policy: { expected_duration_s: 120 } });
  return { types: { 'inventory.sync': { ...entry, policy: { ...entry.policy, ...policy } }, ...extra } };
}

describe('loadOperationCatalog (shipped file)', () => {
  it('loads config/operation-catalog.json with default settings', () => {
    const definitions = loadOperationCatalog(defaults());
    expect(definitions.map((d) => d.type)).toEqual([
      'inventory.sync',
      'baseline.capture',
      'baseline.compare',
      'environment.review.compose',
      'operations.bulk_cancel',
      'operations.bulk_retry',
      'operations.fan_out',
    ]);
    expect(definitions.filter((d) => d.level === 'workspace').map((d) => d.type)).toEqual([
      'operations.bulk_cancel',
      'operations.bulk_retry',
      'operations.fan_out',
    ]);
    expect(definitions[0]).toMatchObject({
      type: 'inventory.sync',
      module: 'baselines',
      capability: 'inventory.sync',
      progress_mode: 'counted',
      aliases: ['inventory_sync'],
      policy: { heartbeat_s: 5, stale_running_after_s: 90, backoff: { type: 'exponential', delay_s: 5 } },
    });
  });

  it('applies a valid override from the config', () => {
    const config = { ...defaults(), lifecycleOverrides: { inventory_sync: { stale_running_after_s: 120 } } };
    expect(loadOperationCatalog(config)[0].policy.stale_running_after_s).toBe(120);
  });

  it('throws LifecycleConfigError listing every violation an override causes', () => {
    const config = {
      ...defaults(),
      lifecycleOverrides: { 'inventory.sync': { heartbeat_s: 1, stale_running_after_s: 8, job_timeout_s: 30 } },
    };
    const error = (() => {
      try {
        loadOperationCatalog(config);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LifecycleConfigError);
    expect((error as LifecycleConfigError).violations).toEqual([
      'inventory.sync: stale_running_after_s (8s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
      'inventory.sync: stale_running_after_s (8s) is shorter than the longest retry backoff (10s)',
      'inventory.sync: job_timeout_s (30s) is shorter than expected_duration_s (120s)',
    ]);
    expect((error as Error).message).toMatch(/^Lifecycle configuration is invalid:\n - inventory\.sync: stale_running/);
  });

  it('rejects the shipped policy when the queue lock and stall interval are raised past its window', () => {
    const config = { ...defaults(), queueLockDurationMs: 60000, queueStalledIntervalMs: 60000 };
    expect(violationsOf(() => loadOperationCatalog(config))).toEqual([
      'inventory.sync: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
      'baseline.capture: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
      'baseline.compare: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
      'environment.review.compose: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
      'operations.bulk_cancel: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
      'operations.bulk_retry: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
      'operations.fan_out: stale_running_after_s (90s) is shorter than the queue lock duration plus the stall check interval (60s + 60s = 120s)',
    ]);
  });
});

describe('loadOperationCatalog (file problems)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'opsdeck-catalog-'));
    mkdirSync(join(root, 'config'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names the file when it is missing', () => {
    const [line, ...rest] = violationsOf(() => loadOperationCatalog({ ...defaults(), projectRoot: root }));
    expect(rest).toEqual([]);
    expect(line).toContain(`cannot read operation catalog ${join(root, 'config/operation-catalog.json')}`);
  });

  it('names the file when it is not JSON', () => {
    writeFileSync(join(root, 'config/operation-catalog.json'), '{ types: ');
    const [line] = violationsOf(() => loadOperationCatalog({ ...defaults(), projectRoot: root }));
    expect(line).toContain(`operation catalog ${join(root, 'config/operation-catalog.json')} is not valid JSON`);
  });

  it('reads the catalog from the configured project root', () => {
    writeFileSync(join(root, 'config/operation-catalog.json'), JSON.stringify(catalog({ heartbeat_s: 7 })));
    expect(loadOperationCatalog({ ...defaults(), projectRoot: root })[0].policy.heartbeat_s).toBe(7);
  });
});

describe('loadOperationCatalogFrom', () => {
  const settings = { lifecycleOverrides: null, queueLockDurationMs: 30000, queueStalledIntervalMs: 30000 };

  it('returns the definitions of a valid catalog object', () => {
    expect(loadOperationCatalogFrom(catalog(), settings).map((d) => d.type)).toEqual(['inventory.sync']);
  });

  it('collects shape errors, override errors and invariant violations into one error', () => {
    const raw = catalog({ stale_queued_after_s: 10 }, { 'baseline.capture': { label: 'Baseline capture' } });
    const violations = violationsOf(() =>
      loadOperationCatalogFrom(raw, { ...settings, lifecycleOverrides: { 'inventory.sync': { heartbeat: 2 } } }),
    );
    expect(violations).toEqual([
      'baseline.capture: module must be a non-empty string',
      'baseline.capture: capability must be a non-empty string',
      'baseline.capture: progress_mode must be one of none, activity, counted, phased, composite',
      'baseline.capture: no lifecycle policy (policy is required)',
      expect.stringMatching(/^OPS_LIFECYCLE_OVERRIDES: inventory\.sync: heartbeat is not a known field/),
      'inventory.sync: stale_queued_after_s (10s) is shorter than the queue lock duration plus the stall check interval (30s + 30s = 60s)',
    ]);
  });

  it('uses the queue timings it is given', () => {
    const tight = { ...settings, lifecycleOverrides: { 'inventory.sync': { stale_queued_after_s: 10 } } };
    expect(() => loadOperationCatalogFrom(catalog(), tight)).toThrow(LifecycleConfigError);
    expect(
      loadOperationCatalogFrom(catalog(), { ...tight, queueLockDurationMs: 2000, queueStalledIntervalMs: 2000 }),
    ).toHaveLength(1);
  });
});
