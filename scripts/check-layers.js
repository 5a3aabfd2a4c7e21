#!/usr/bin/env node
// House rule 1: core stays framework-free. Lists every forbidden import under a core folder.
const fs = require('node:fs');
const path = require('node:path');

const FORBIDDEN = /from\s+['"](?:@nestjs\/|@mikro-orm\/|(?:bullmq|ioredis|express|handlebars|hbs|pg)['"/])/;

function coreDirs(root) {
  const modules = path.join(root, 'src', 'modules');
  const dirs = [path.join(root, 'src', 'shared', 'core')];
  if (fs.existsSync(modules)) {
    for (const m of fs.readdirSync(modules)) dirs.push(path.join(modules, m, 'core'));
  }
  return dirs.filter((d) => fs.existsSync(d));
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [full] : [];
  });
}

function findViolations(root) {
  const violations = [];
  for (const dir of coreDirs(root)) {
    for (const file of walk(dir)) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (FORBIDDEN.test(line)) violations.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  return violations;
}

module.exports = { findViolations };

if (require.main === module) {
  const violations = findViolations(path.resolve(__dirname, '..'));
  if (violations.length) {
    console.error(`Core must not import frameworks (move it behind a port):\n${violations.map((v) => ` - ${v}`).join('\n')}`);
    process.exit(1);
  }
}
