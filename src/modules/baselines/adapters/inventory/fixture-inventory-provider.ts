import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaselineErrors } from '../../core/baselines-errors';
import { InventoryRecord } from '../../core/inventory-item';
import { InventoryProvider, InventorySource } from '../../core/ports/inventory-provider.port';
import { parseInventoryFixture } from './inventory-fixture.parser';

/** Slugs become file names: this shape admits no separators, dots or traversal. */
const FILE_SAFE_SLUG = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads `<fixturesDir>/<environment-slug>.json`: real files an operator can edit. Optional
 * `latency_ms_per_item` and `fail_after_items` make slow and failing providers reproducible.
 */
export class FixtureInventoryProvider implements InventoryProvider {
  constructor(private readonly fixturesDir: string) {}

  async open(environmentSlug: string): Promise<InventorySource> {
    if (!FILE_SAFE_SLUG.test(environmentSlug)) {
      throw BaselineErrors.fixtureSlugUnusable(environmentSlug);
    }
    const fileName = `${environmentSlug}.json`;
    const fixture = parseInventoryFixture(fileName, await this.read(fileName));
    const { items, latencyMsPerItem, failAfterItems } = fixture;
    return {
      total: items.length,
      items: (signal) => streamItems(items, signal, latencyMsPerItem, failAfterItems),
    };
  }

  private async read(fileName: string): Promise<string> {
    try {
      return await readFile(join(this.fixturesDir, fileName), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw BaselineErrors.fixtureMissing(fileName, this.fixturesDir);
      }
      // Permissions, a directory named like the file, …: the OS message stays out of operator copy.
      throw BaselineErrors.fixtureUnreadable(fileName);
    }
  }
}

async function* streamItems(
  items: InventoryRecord[],
  signal: AbortSignal,
  latencyMsPerItem: number,
  failAfterItems: number | undefined,
): AsyncGenerator<InventoryRecord> {
  for (let index = 0; index < items.length; index++) {
    if (index === failAfterItems) throw BaselineErrors.providerStopped(index);
    if (signal.aborted) throw abortReason(signal);
    if (latencyMsPerItem > 0) await sleep(latencyMsPerItem, signal);
    yield items[index];
  }
  // A page that fails right after its last item still fails: the operator asked for it.
  if (failAfterItems === items.length) throw BaselineErrors.providerStopped(items.length);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/** Like timers/promises setTimeout, but rejects with the signal's own reason (timeout vs cancel). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
