import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Writers store canonical operation types and readers resolve legacy aliases through the catalog
 * (SPEC 2.2), so no alias may be spelled out anywhere in the product's sources: a reader that
 * names one (e.g. `type = 'inventory_sync'`, or a list of both spellings) bypasses the catalog
 * and misses the next alias. Tests (`*.spec.ts`, `*.int-spec.ts`) may plant legacy rows.
 */
const ROOT = path.resolve(__dirname, '..', '..');

function catalogAliases(root: string): string[] {
  const catalog = JSON.parse(fs.readFileSync(path.join(root, 'config', 'operation-catalog.json'), 'utf8')) as {
    types: Record<string, { aliases?: string[] }>;
  };
  return Object.values(catalog.types).flatMap((t) => t.aliases ?? []);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !/[.-]spec\.ts$/.test(e.name) ? [full] : [];
  });
}

/** `file:line: text` for each alias written as a whole name (not inside a longer identifier such as `inventory_sync_incomplete`). */
function findAliasStrings(root: string, aliases: string[]): string[] {
  const escaped = aliases.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length === 0) return [];
  const pattern = new RegExp(`(?<![\\w.-])(?:${escaped.join('|')})(?![\\w.-])`);
  const found: string[] = [];
  for (const file of sourceFiles(path.join(root, 'src'))) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line)) found.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe('canonical operation types', () => {
  it('the shipped catalog declares aliases (so the check below checks something)', () => {
    expect(catalogAliases(ROOT)).toEqual(expect.arrayContaining(['inventory_sync', 'tenant.review.compose']));
  });

  it('no legacy alias appears in src/ outside the catalog', () => {
    expect(findAliasStrings(ROOT, catalogAliases(ROOT))).toEqual([]);
  });

  it('the check catches an alias as a string or in SQL, and ignores longer names that contain one', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aliases-'));
    const dir = path.join(root, 'src', 'modules', 'demo', 'adapters');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'reader.ts'),
      [
        "const TYPES = ['environment.review.compose', 'tenant.review.compose'];",
        "const sql = `select 1 from operation_runs where type = 'inventory_sync'`;",
        "const reason = 'inventory_sync_incomplete'; // a reason code, not a type",
        'const table = `baseline_compare_results`;',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'reader.spec.ts'), "insert({ type: 'inventory_sync' });\n");
    fs.writeFileSync(path.join(dir, 'reader.int-spec.ts'), "insert({ type: 'inventory_sync' });\n");
    expect(findAliasStrings(root, ['inventory_sync', 'tenant.review.compose', 'baseline_compare'])).toEqual([
      "src/modules/demo/adapters/reader.ts:1: const TYPES = ['environment.review.compose', 'tenant.review.compose'];",
      "src/modules/demo/adapters/reader.ts:2: const sql = `select 1 from operation_runs where type = 'inventory_sync'`;",
    ]);
  });
});
