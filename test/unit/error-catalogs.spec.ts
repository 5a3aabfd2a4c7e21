import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Error codes and messages live in one catalog per module (`core/<module>-errors.ts`, and
 * `src/shared/core/shared-errors.ts` outside the modules): a DomainError built anywhere else is a
 * code or message that can drift from its twin. Tests (`*.spec.ts`, `*.int-spec.ts`) may build
 * DomainErrors as test data.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CONSTRUCTED = /\bnew\s+DomainError\s*\(/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(e.name) ? [full] : [];
  });
}

/** `file:line: text` for each DomainError built outside a `*-errors.ts` file under `src/`. */
function findStrayDomainErrors(root: string): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(path.join(root, 'src'))) {
    if (path.basename(file).endsWith('-errors.ts')) continue;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (CONSTRUCTED.test(line)) found.push(`${path.relative(root, file).split(path.sep).join('/')}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe('error catalogs', () => {
  it('no DomainError is built in src/ outside a *-errors.ts catalog', () => {
    expect(findStrayDomainErrors(ROOT)).toEqual([]);
  });

  it('the check catches a stray DomainError and lets catalogs and tests build them', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'error-catalogs-'));
    const files: Record<string, string> = {
      'src/modules/demo/core/rule.ts': "const ok = 1;\nthrow new DomainError('bad', 'Bad.');\n",
      'src/modules/demo/core/demo-errors.ts': "export const DemoErrors = { bad: () => new DomainError('bad', 'Bad.') };\n",
      'src/modules/demo/core/rule.spec.ts': "throw new DomainError('bad', 'Bad.');\n",
      'src/modules/demo/adapters/demo.int-spec.ts': "throw new DomainError('bad', 'Bad.');\n",
      'src/cli.ts': "  if (!x) throw new DomainError(\n    'bad',\n  );\n",
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    expect(findStrayDomainErrors(root).sort()).toEqual([
      'src/cli.ts:1: if (!x) throw new DomainError(',
      "src/modules/demo/core/rule.ts:2: throw new DomainError('bad', 'Bad.');",
    ]);
  });
});
