import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { applyPolicyOverrides, parseOperationCatalogConfig } from '../../core/lifecycle-policy';
import { LifecycleConfigError, validateLifecyclePolicies } from '../../core/lifecycle-policy.validator';
import { OperationTypeDefinition } from '../../core/operation-type';

export const OPERATION_CATALOG_FILE = join('config', 'operation-catalog.json');

type CatalogSettings = Pick<AppConfig, 'lifecycleOverrides' | 'queueLockDurationMs' | 'queueStalledIntervalMs'>;

/** Boot path: the shipped catalog file, env overrides, then the invariants — or one error listing all. */
export function loadOperationCatalog(config: AppConfig): OperationTypeDefinition[] {
  const file = join(config.projectRoot, OPERATION_CATALOG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LifecycleConfigError([`cannot read operation catalog ${file}: ${(e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LifecycleConfigError([`operation catalog ${file} is not valid JSON: ${(e as Error).message}`]);
  }
  return loadOperationCatalogFrom(raw, config);
}

/** Same pipeline for a catalog object supplied by the caller (tests, CLI `validate lifecycle`). */
export function loadOperationCatalogFrom(raw: unknown, config: CatalogSettings): OperationTypeDefinition[] {
  const parsed = parseOperationCatalogConfig(raw);
  const overridden = applyPolicyOverrides(parsed.definitions, config.lifecycleOverrides);
  const violations = validateLifecyclePolicies(overridden.definitions, {
    lockDurationMs: config.queueLockDurationMs,
    stalledIntervalMs: config.queueStalledIntervalMs,
  });
  const all = [...parsed.errors, ...overridden.errors, ...violations];
  if (all.length > 0) throw new LifecycleConfigError(all);
  return overridden.definitions;
}
