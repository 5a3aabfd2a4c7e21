#!/usr/bin/env node
// House rules 1 and 10, checked mechanically (run by `npm run lint` and test/unit/architecture.spec.ts):
// - core stays framework-free: no forbidden import under a core folder;
// - dependencies point one way: src/shared imports no module, a module imports only the modules
//   it declares below (never the app's root files), and the declared graph has no cycle.
const fs = require('node:fs');
const path = require('node:path');

const FORBIDDEN = /from\s+['"](?:@nestjs\/|@mikro-orm\/|(?:bullmq|ioredis|express|handlebars|hbs|pg)['"/])/;

/**
 * Which modules each module may import (the README's architecture section draws this graph).
 * A new module adds a line; a new edge is a design decision, made here on purpose.
 */
const MODULE_DEPENDENCIES = {
  rbac: [],
  web: ['rbac'],
  operations: ['rbac', 'web'],
  reconciliation: ['operations'],
  audit: ['operations', 'rbac', 'web'],
  notifications: ['operations', 'rbac', 'web'],
  baselines: ['operations', 'rbac', 'reconciliation', 'web'],
  'environment-reviews': ['baselines', 'operations', 'rbac', 'reconciliation', 'web'],
  workspaces: ['baselines', 'operations', 'rbac', 'web'],
  health: ['operations'],
  'bulk-runs': ['operations', 'rbac', 'reconciliation', 'web'],
};

const isTest = (file) => /\.(int-|e2e-)?spec\.ts$/.test(file);

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
    return e.isDirectory() ? walk(full) : e.name.endsWith('.ts') && !isTest(e.name) ? [full] : [];
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

/** 'shared', a module name, or 'app' (src/*.ts, src/cli/: the composition root). */
function ownerOf(srcRoot, file) {
  const [top, name] = path.relative(srcRoot, file).split(path.sep);
  if (top === 'shared') return 'shared';
  if (top === 'modules') return `module:${name}`;
  return 'app';
}

/** Cycles in a declared dependency graph, each as "a -> b -> a". */
function findCycles(graph) {
  const cycles = [];
  const state = {};
  const visit = (node, trail) => {
    if (state[node] === 'done') return;
    if (state[node] === 'open') {
      cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      return;
    }
    state[node] = 'open';
    for (const next of graph[node] ?? []) visit(next, [...trail, node]);
    state[node] = 'done';
  };
  for (const node of Object.keys(graph)) visit(node, []);
  return cycles;
}

function findDependencyViolations(root, allowed = MODULE_DEPENDENCIES) {
  const srcRoot = path.join(root, 'src');
  const violations = findCycles(allowed).map((c) => `declared module dependencies form a cycle: ${c}`);
  if (!fs.existsSync(srcRoot)) return violations;
  for (const file of walk(srcRoot)) {
    const from = ownerOf(srcRoot, file);
    if (from === 'app') continue;
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const spec = /(?:from|import)\s+['"](\.{1,2}\/[^'"]+)['"]/.exec(line)?.[1];
      if (!spec) return;
      const to = ownerOf(srcRoot, path.resolve(path.dirname(file), spec));
      if (to === from) return;
      const where = `${path.relative(root, file)}:${i + 1}`;
      if (from === 'shared') {
        violations.push(`${where}: src/shared must not import ${to === 'app' ? 'the app root' : to.slice(7) + ' (a module)'}`);
      } else if (to === 'app') {
        violations.push(`${where}: a module must not import the app root (${spec})`);
      } else if (to.startsWith('module:')) {
        const [a, b] = [from.slice(7), to.slice(7)];
        if (!(allowed[a] ?? []).includes(b)) violations.push(`${where}: module ${a} may not import module ${b} (not declared in scripts/check-layers.js)`);
      }
    });
  }
  return violations;
}

/** The layer a file sits in: 'core', 'application', 'adapters' or null (module root files). */
function layerOf(srcRoot, file) {
  const parts = path.relative(srcRoot, file).split(path.sep);
  if (parts[0] === 'shared') return parts[1] === 'core' ? 'core' : parts[1] === 'adapters' ? 'adapters' : null;
  if (parts[0] === 'modules') return ['core', 'application', 'adapters'].includes(parts[2]) ? parts[2] : null;
  return null;
}

/** The module whose HTTP adapters every module's controllers use: the route frame (who is asking, web/adapters/http/route-access.ts) and the page frame. */
const HTTP_FRAME = ['module:web'];

const APPLICATION_FORBIDDEN = /from\s+['"](?:@mikro-orm\/|(?:bullmq|ioredis|express|handlebars|hbs|pg)['"/])/;

/**
 * Hexagon direction: core imports neither application nor adapters; application imports no
 * adapters and no technology (Nest's DI decorators aside); a module reaches another module's
 * HTTP code only through the frame (web: the request's access, re-exported from rbac by
 * route-access.ts, and the page shell); only web reaches into rbac's HTTP adapters.
 */
function findLayerViolations(root) {
  const srcRoot = path.join(root, 'src');
  const violations = [];
  if (!fs.existsSync(srcRoot)) return violations;
  for (const file of walk(srcRoot)) {
    const layer = layerOf(srcRoot, file);
    if (layer !== 'core' && layer !== 'application' && layer !== 'adapters') continue;
    const from = ownerOf(srcRoot, file);
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const where = `${path.relative(root, file)}:${i + 1}`;
      if (layer === 'application' && APPLICATION_FORBIDDEN.test(line)) violations.push(`${where}: application must not import a technology (${line.trim()})`);
      const spec = /(?:from|import)\s+['"](\.{1,2}\/[^'"]+)['"]/.exec(line)?.[1];
      if (!spec) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(srcRoot, target);
      if (layer === 'core' && (to === 'application' || to === 'adapters')) violations.push(`${where}: core must not import ${to} (${spec})`);
      if (layer === 'application' && to === 'adapters') violations.push(`${where}: application must not import adapters (${spec})`);
      const owner = ownerOf(srcRoot, target);
      const http = path.relative(srcRoot, target).split(path.sep).slice(2, 4).join('/') === 'adapters/http';
      // The frame itself (web) is where rbac's guards and access context are handed on.
      const frameReachingAccess = from === 'module:web' && owner === 'module:rbac';
      if (http && owner !== from && !HTTP_FRAME.includes(owner) && !frameReachingAccess && owner.startsWith('module:')) {
        violations.push(`${where}: a module must not import another module's HTTP code (${spec}); call its use cases`);
      }
    });
  }
  return violations;
}

module.exports = { findViolations, findDependencyViolations, findLayerViolations, findCycles, MODULE_DEPENDENCIES };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const core = findViolations(root);
  const deps = [...findDependencyViolations(root), ...findLayerViolations(root)];
  if (core.length) console.error(`Core must not import frameworks (move it behind a port):\n${core.map((v) => ` - ${v}`).join('\n')}`);
  if (deps.length) console.error(`Dependencies must point one way:\n${deps.map((v) => ` - ${v}`).join('\n')}`);
  if (core.length || deps.length) process.exit(1);
}
