import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require('../../scripts/check-layers.js') as {
  findViolations: (root: string) => string[];
  findDependencyViolations: (root: string, allowed?: Record<string, string[]>) => string[];
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
