import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../../../shared/adapters/config/app-config';
import { loadBaselineRules } from './baseline-rules.loader';

function projectWith(content?: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'baselines-'));
  mkdirSync(path.join(root, 'config'));
  if (content !== undefined) writeFileSync(path.join(root, 'config', 'baselines.json'), content);
  return root;
}

describe('loadBaselineRules', () => {
  it('loads the shipped config/baselines.json', () => {
    const rules = loadBaselineRules(path.resolve(__dirname, '../../../../..'));
    expect(rules.volatile_fields).toEqual(expect.arrayContaining(['id', 'createdDateTime', 'lastModifiedDateTime', 'version']));
    expect(rules.volatile_prefixes).toContain('@odata.');
    expect(Object.keys(rules.kinds)).toHaveLength(6);
  });

  it('names the file when it is missing', () => {
    expect(() => loadBaselineRules(projectWith())).toThrow(ConfigError);
    expect(() => loadBaselineRules(projectWith())).toThrow(/cannot read baseline rules .*config\/baselines\.json: ENOENT/);
  });

  it('names the file when it is not JSON', () => {
    expect(() => loadBaselineRules(projectWith('{ nope'))).toThrow(/baseline rules .*baselines\.json is not valid JSON/);
  });

  it('names the file and every rule problem', () => {
    const root = projectWith(JSON.stringify({ volatile_fields: ['id'], volatile_prefixes: ['@odata.'], kinds: { x: { match_by_display_name: 1 } } }));
    let error: unknown;
    try {
      loadBaselineRules(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    for (const p of problems) expect(p).toMatch(/^baseline rules .*config\/baselines\.json: /);
    expect(problems.join('\n')).toMatch(/kinds\.x\.match_by_display_name must be true or false/);
  });
});
