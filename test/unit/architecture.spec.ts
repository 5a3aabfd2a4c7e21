import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require('../../scripts/check-layers.js') as {
  findViolations: (root: string) => string[];
  findDependencyViolations: (root: string, allowed?: Record<string, string[]>) => string[];
  findLayerViolations: (root: string) => string[];
  findCycles: (graph: Record<string, string[]>) => string[];
  MODULE_DEPENDENCIES: Record<string, string[]>;
};

const repoRoot = path.resolve(__dirname, '..', '..');

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('core layers stay framework-free', () => {
  it('no file under a core folder imports NestJS, MikroORM, BullMQ, ioredis, express, pg or Handlebars', () => {
    expect(layers.findViolations(repoRoot)).toEqual([]);
  });

  it('the check really catches a forbidden import', () => {
    const root = tree({
      'src/modules/demo/core/bad.ts': "import { Injectable } from '@nestjs/common';\n",
      'src/modules/demo/core/good.ts': "import { x } from './x';\n",
    });
    expect(layers.findViolations(root)).toEqual([`src/modules/demo/core/bad.ts:1: import { Injectable } from '@nestjs/common';`]);
  });
});

describe('dependencies point one way', () => {
  it('main: shared imports no module, every module import is declared, the declared graph is acyclic', () => {
    expect(layers.findDependencyViolations(repoRoot)).toEqual([]);
  });

  it('every module folder is declared (a new module takes a position in the graph)', () => {
    const modules = fs.readdirSync(path.join(repoRoot, 'src', 'modules')).sort();
    expect(Object.keys(layers.MODULE_DEPENDENCIES).sort()).toEqual(modules);
  });

  it('catches shared importing a module, a module importing the app root, and an undeclared edge', () => {
    const root = tree({
      'src/app.module.ts': '',
      'src/modules/a/a.ts': "import { b } from '../b/b';\nimport { c } from '../c/c';\nimport { app } from '../../app.module';\n",
      'src/modules/b/b.ts': "import { s } from '../../shared/s';\n",
      'src/modules/c/c.ts': '',
      'src/modules/c/c.spec.ts': "import { a } from '../a/a';\n",
      'src/shared/s.ts': "import { b } from '../modules/b/b';\n",
    });
    expect(layers.findDependencyViolations(root, { a: ['b'], b: [], c: [] })).toEqual([
      'src/modules/a/a.ts:2: module a may not import module c (not declared in scripts/check-layers.js)',
      'src/modules/a/a.ts:3: a module must not import the app root (../../app.module)',
      'src/shared/s.ts:1: src/shared must not import b (a module)',
    ]);
  });

  it('a declared cycle is reported', () => {
    expect(layers.findCycles({ a: ['b'], b: ['c'], c: ['a'], d: [] })).toEqual(['a -> b -> c -> a']);
    expect(layers.findCycles(layers.MODULE_DEPENDENCIES)).toEqual([]);
  });
});

describe('the hexagon points inwards', () => {
  it('main: core imports no application or adapters, application no adapters or technology, no module imports another\'s HTTP code', () => {
    expect(layers.findLayerViolations(repoRoot)).toEqual([]);
  });

  it('catches each kind of inward-pointing violation and lets the frame (web) through, which alone reaches rbac\'s guards', () => {
    const root = tree({
      'src/modules/a/core/rule.ts': "import { q } from '../application/q';\nimport { r } from '../adapters/persistence/r';\n",
      'src/modules/a/application/q.ts':
        "import { EntityManager } from '@mikro-orm/postgresql';\nimport { Injectable } from '@nestjs/common';\nimport { r } from '../adapters/persistence/r';\nimport { rule } from '../core/rule';\n",
      'src/modules/a/adapters/persistence/r.ts': '',
      'src/modules/b/adapters/http/page.ts':
        "import { x } from '../../../a/adapters/http/x';\nimport { g } from '../../../rbac/adapters/http/guard';\nimport { s } from '../../../web/adapters/http/shell';\nimport { q } from '../../../a/application/q';\n",
      'src/modules/a/adapters/http/x.ts': '',
      'src/modules/rbac/adapters/http/guard.ts': '',
      'src/modules/web/adapters/http/shell.ts': '',
      'src/modules/web/adapters/http/route-access.ts': "export { g } from '../../../rbac/adapters/http/guard';\n",
    });
    expect(layers.findLayerViolations(root)).toEqual([
      "src/modules/a/application/q.ts:1: application must not import a technology (import { EntityManager } from '@mikro-orm/postgresql';)",
      'src/modules/a/application/q.ts:3: application must not import adapters (../adapters/persistence/r)',
      'src/modules/a/core/rule.ts:1: core must not import application (../application/q)',
      'src/modules/a/core/rule.ts:2: core must not import adapters (../adapters/persistence/r)',
      "src/modules/b/adapters/http/page.ts:1: a module must not import another module's HTTP code (../../../a/adapters/http/x); call its use cases",
      "src/modules/b/adapters/http/page.ts:2: a module must not import another module's HTTP code (../../../rbac/adapters/http/guard); call its use cases",
    ]);
  });
});

describe('every module has an application layer', () => {
  const modules = fs.readdirSync(path.join(repoRoot, 'src', 'modules'));

  it('each module holds its use cases in application/ (at least one)', () => {
    const without = modules.filter((m) => {
      const dir = path.join(repoRoot, 'src', 'modules', m, 'application');
      return !fs.existsSync(dir) || !fs.readdirSync(dir).some((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    });
    expect(without).toEqual([]);
  });

  it('no HTTP adapter holds use cases in a service of its own (*-api.service.ts)', () => {
    const services = modules.flatMap((m) => {
      const dir = path.join(repoRoot, 'src', 'modules', m, 'adapters', 'http');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.service.ts')).map((f) => `${m}/${f}`) : [];
    });
    expect(services).toEqual([]);
  });
});
