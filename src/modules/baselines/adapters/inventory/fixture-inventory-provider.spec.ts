import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../../../../shared/core/domain-error';
import { InventoryRecord } from '../../core/inventory-item';
import { InventorySource } from '../../core/ports/inventory-provider.port';
import { FixtureInventoryProvider } from './fixture-inventory-provider';

const SHIPPED_DIR = join(__dirname, '../../../../../config/inventory');

const policy = (n: number) => ({
  kind: 'compliancePolicy',
  external_id: `p-${n}`,
  display_name: `Policy ${n}`,
  settings: { passwordMinimumLength: 8 },
});

async function collect(source: InventorySource, signal = new AbortController().signal) {
  const out: InventoryRecord[] = [];
  for await (const item of source.items(signal)) out.push(item);
  return out;
}

async function openError(provider: FixtureInventoryProvider, slug: string): Promise<DomainError> {
  const error = await provider.open(slug).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('FixtureInventoryProvider', () => {
  let dir: string;
  let provider: FixtureInventoryProvider;
  const fixture = (slug: string, content: unknown) =>
    writeFileSync(join(dir, `${slug}.json`), typeof content === 'string' ? content : JSON.stringify(content));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-inventory-'));
    provider = new FixtureInventoryProvider(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('streams the items of <slug>.json and announces the total', async () => {
    fixture('contoso-hq', { items: [policy(1), policy(2)] });
    const source = await provider.open('contoso-hq');
    expect(source.total).toBe(2);
    expect((await collect(source)).map((i) => i.external_id)).toEqual(['p-1', 'p-2']);
  });

  it('names the missing file and the directory', async () => {
    const error = await openError(provider, 'nowhere');
    expect(error.code).toBe('inventory_fixture_missing');
    expect(error.message).toBe(`Inventory fixture file "nowhere.json" was not found in ${dir}.`);
  });

  it('reports invalid JSON without parser internals', async () => {
    fixture('broken', '{ "items": [ { "kind": ');
    const error = await openError(provider, 'broken');
    expect(error.code).toBe('inventory_fixture_invalid');
    expect(error.message).toBe('Inventory fixture "broken.json" is not valid JSON.');
  });

  it('reports an unreadable fixture without the OS message', async () => {
    mkdirSync(join(dir, 'folder.json'));
    const error = await openError(provider, 'folder');
    expect(error.code).toBe('inventory_fixture_invalid');
    expect(error.message).toBe('Inventory fixture "folder.json" could not be read.');
  });

  it.each([
    [{ items: [policy(1), { ...policy(2), settings: [1] }] }, 'items[1].settings must be an object'],
    [{ items: [policy(1), policy(2), policy(3), { ...policy(4), kind: '' }] }, 'items[3].kind must be a non-empty string'],
    [{ items: [{ ...policy(1), external_id: 7 }] }, 'items[0].external_id must be a non-empty string'],
    [{ items: [null] }, 'items[0] must be an object'],
    [{ items: {} }, 'items must be an array'],
    [[policy(1)], 'the top level must be a JSON object'],
    [{ latency_ms_per_item: -1, items: [] }, 'latency_ms_per_item must be a non-negative number'],
    [{ fail_after_items: 1.5, items: [] }, 'fail_after_items must be a non-negative integer'],
  ])('names the first shape problem precisely (%#)', async (content, problem) => {
    fixture('shape', content);
    const error = await openError(provider, 'shape');
    expect(error.code).toBe('inventory_fixture_invalid');
    expect(error.message).toBe(`Inventory fixture "shape.json" is invalid: ${problem}.`);
  });

  it.each(['../etc/passwd', '..', 'Contoso', 'a/b', '-leading', 'x.json', ''])(
    'rejects slug %j that could escape the fixtures directory',
    async (slug) => {
      const error = await openError(provider, slug);
      expect(error.code).toBe('inventory_fixture_invalid');
      expect(error.message).toContain('cannot name an inventory fixture file');
    },
  );

  it('fails like a provider page after fail_after_items items', async () => {
    fixture('flaky', { fail_after_items: 2, items: [policy(1), policy(2), policy(3)] });
    const seen: string[] = [];
    const source = await provider.open('flaky');
    const run = (async () => {
      for await (const item of source.items(new AbortController().signal)) seen.push(item.external_id);
    })();
    await expect(run).rejects.toMatchObject({
      code: 'inventory_provider_failed',
      message: 'The inventory provider stopped responding after 2 items.',
    });
    expect(seen).toEqual(['p-1', 'p-2']);
  });

  it('rejects promptly when aborted during the per-item latency', async () => {
    fixture('slow', { latency_ms_per_item: 10_000, items: [policy(1)] });
    const source = await provider.open('slow');
    const controller = new AbortController();
    const reason = new Error('cancelled by operator');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 20);
    await expect(collect(source, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits latency_ms_per_item before each item', async () => {
    fixture('paced', { latency_ms_per_item: 15, items: [policy(1), policy(2), policy(3)] });
    const started = Date.now();
    await collect(await provider.open('paced'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('loads every shipped demo fixture', async () => {
    const shipped = new FixtureInventoryProvider(SHIPPED_DIR);
    const counts: Record<string, number> = {};
    for (const file of readdirSync(SHIPPED_DIR).filter((f) => f.endsWith('.json'))) {
      const source = await shipped.open(file.replace(/\.json$/, ''));
      counts[file] = source.total; // counting only: northwind's 2 ms latency applies to items()
    }
    expect(counts).toEqual({
      'contoso-hq.json': 42,
      'fabrikam.json': 42,
      'northwind.json': 3000,
      'tailspin-prod.json': 25,
    });
  });

  it('ships demo fixtures with unique identities and only the six policy kinds', async () => {
    const kinds = new Set<string>();
    for (const slug of ['contoso-hq', 'fabrikam', 'tailspin-prod']) {
      const items = await collect(await new FixtureInventoryProvider(SHIPPED_DIR).open(slug));
      expect(new Set(items.map((i) => `${i.kind}|${i.external_id}`)).size).toBe(items.length);
      items.forEach((i) => kinds.add(i.kind));
    }
    expect([...kinds].sort()).toEqual([
      'appProtectionPolicy',
      'compliancePolicy',
      'conditionalAccessPolicy',
      'deviceConfiguration',
      'endpointSecurityPolicy',
      'settingsCatalogPolicy',
    ]);
  });
});
