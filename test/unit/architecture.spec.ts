import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findViolations } = require('../../scripts/check-layers.js') as { findViolations: (root: string) => string[] };

describe('core layers stay framework-free', () => {
  it('no file under a core folder imports NestJS, MikroORM, BullMQ, ioredis, express, pg or Handlebars', () => {
    expect(findViolations(path.resolve(__dirname, '..', '..'))).toEqual([]);
  });

  it('the check really catches a forbidden import', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    const core = path.join(root, 'src', 'modules', 'demo', 'core');
    fs.mkdirSync(core, { recursive: true });
    fs.writeFileSync(path.join(core, 'bad.ts'), "import { Injectable } from '@nestjs/common';\n");
    fs.writeFileSync(path.join(core, 'good.ts'), "import { x } from './x';\n");
    expect(findViolations(root)).toEqual([`src/modules/demo/core/bad.ts:1: import { Injectable } from '@nestjs/common';`]);
  });
});
