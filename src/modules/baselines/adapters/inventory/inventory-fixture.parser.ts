import { BaselineErrors } from '../../core/baselines-errors';
import { InventoryRecord } from '../../core/inventory-item';
import { isRecord } from '../../../../shared/core/json-guards';

export interface InventoryFixture {
  latencyMsPerItem: number;
  failAfterItems?: number;
  items: InventoryRecord[];
}

const REQUIRED_TEXT = ['kind', 'external_id', 'display_name'] as const;

/**
 * Parses one fixture file. Operators edit these by hand, so the first problem is named by its
 * exact path (`items[3].kind`) and parser internals (stack, byte offsets) never reach the message.
 */
export function parseInventoryFixture(fileName: string, text: string): InventoryFixture {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw BaselineErrors.fixtureNotJson(fileName);
  }
  const invalid = (problem: string) => BaselineErrors.fixtureInvalid(fileName, problem);

  if (!isRecord(raw)) throw invalid('the top level must be a JSON object');
  const latency = raw.latency_ms_per_item;
  if (latency !== undefined && !isCount(latency, false)) {
    throw invalid('latency_ms_per_item must be a non-negative number');
  }
  const failAfter = raw.fail_after_items;
  if (failAfter !== undefined && !isCount(failAfter, true)) {
    throw invalid('fail_after_items must be a non-negative integer');
  }
  if (!Array.isArray(raw.items)) throw invalid('items must be an array');

  const items = raw.items.map((item: unknown, index: number): InventoryRecord => {
    if (!isRecord(item)) throw invalid(`items[${index}] must be an object`);
    for (const field of REQUIRED_TEXT) {
      const value = item[field];
      if (typeof value !== 'string' || value.trim() === '') {
        throw invalid(`items[${index}].${field} must be a non-empty string`);
      }
    }
    if (!isRecord(item.settings)) throw invalid(`items[${index}].settings must be an object`);
    return {
      kind: item.kind as string,
      external_id: item.external_id as string,
      display_name: item.display_name as string,
      settings: item.settings,
    };
  });
  return {
    latencyMsPerItem: (latency as number | undefined) ?? 0,
    failAfterItems: failAfter as number | undefined,
    items,
  };
}

function isCount(value: unknown, integer: boolean): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return false;
  return !integer || Number.isInteger(value);
}
