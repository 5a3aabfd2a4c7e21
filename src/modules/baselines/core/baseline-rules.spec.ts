import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../../../shared/core/domain-error';
import { BaselineRules, parseBaselineRules, rulesForKind } from './baseline-rules';

const shipped = () => JSON.parse(readFileSync(path.resolve(__dirname, '../../../../config/baselines.json'), 'utf8'));

const minimal = (extra: Record<string, unknown> = {}) => ({
  volatile_fields: ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'],
  volatile_prefixes: ['@odata.'],
  kinds: {},
  ...extra,
});

function problemsOf(raw: unknown): string[] {
  try {
    parseBaselineRules(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('invalid_baseline_rules');
    return (e as DomainError).details.problems as string[];
  }
  throw new Error('expected parseBaselineRules to throw');
}

describe('parseBaselineRules', () => {
  it('accepts the shipped config/baselines.json with every fixture kind', () => {
    const rules = parseBaselineRules(shipped());
    for (const kind of [
      'deviceConfiguration',
      'compliancePolicy',
      'conditionalAccessPolicy',
      'appProtectionPolicy',
      'settingsCatalogPolicy',
      'endpointSecurityPolicy',
    ]) {
      expect(rules.kinds[kind]).toBeDefined();
    }
    expect(rulesForKind(rules, 'conditionalAccessPolicy').unordered_arrays).toEqual(
      expect.arrayContaining(['conditions.users.includeUsers', 'conditions.applications.includeApplications', 'grantControls.builtInControls']),
    );
    expect(rulesForKind(rules, 'deviceConfiguration').secret_settings).toContain('preSharedKey');
  });

  it('accepts a minimal document and ignores $comment', () => {
    expect(parseBaselineRules(minimal({ $comment: 'hi', kinds: { x: { $comment: 'k' } } }))).toEqual({
      volatile_fields: ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'],
      volatile_prefixes: ['@odata.'],
      kinds: { x: {} },
    });
  });

  it('rejects a non-object document', () => {
    expect(problemsOf([])).toEqual(['the top level must be a JSON object']);
    expect(problemsOf(null)).toEqual(['the top level must be a JSON object']);
  });

  it('lists every problem at once, naming where it is', () => {
    const problems = problemsOf({
      volatile_fields: ['id', 7],
      extra: true,
      kinds: {
        deviceConfiguration: {
          unordered_arrays: ['a..b', 'x[0].y', 'ok.path', 'ok.path'],
          secret_settings: 'preSharedKey',
          match_by_display_name: 'yes',
          colour: 'blue',
        },
        compliancePolicy: [],
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'unknown key "extra"',
        'volatile_fields[1] must be a non-empty string',
        'volatile_prefixes is required (a list of strings)',
        'kinds.deviceConfiguration has unknown key "colour"',
        expect.stringContaining('kinds.deviceConfiguration.unordered_arrays[0] "a..b" must be a dotted path'),
        expect.stringContaining('kinds.deviceConfiguration.unordered_arrays[1] "x[0].y" must be a dotted path'),
        'kinds.deviceConfiguration.unordered_arrays lists "ok.path" more than once',
        'kinds.deviceConfiguration.secret_settings must be a list of strings',
        'kinds.deviceConfiguration.match_by_display_name must be true or false',
        'kinds.compliancePolicy must be an object',
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('puts every problem in the message too', () => {
    expect(() => parseBaselineRules({ volatile_fields: [], volatile_prefixes: [] })).toThrow(
      /Baseline rules are invalid: .*volatile_fields must include "id".*volatile_prefixes must include "@odata\.".*kinds is required/,
    );
  });

  it('requires the issue\'s minimum volatile fields and prefixes', () => {
    const problems = problemsOf(minimal({ volatile_fields: ['id'], volatile_prefixes: [] }));
    expect(problems).toEqual([
      'volatile_fields must include "createdDateTime"',
      'volatile_fields must include "lastModifiedDateTime"',
      'volatile_fields must include "version"',
      'volatile_prefixes must include "@odata."',
    ]);
  });

  it('rejects kinds that is not an object', () => {
    expect(problemsOf(minimal({ kinds: [] }))).toEqual(['kinds must be an object of kind → rules']);
  });
});

describe('rulesForKind', () => {
  const rules: BaselineRules = {
    volatile_fields: ['id', 'version'],
    volatile_prefixes: ['@odata.'],
    kinds: { k: { volatile_fields: ['settingCount', 'id'], unordered_arrays: ['a'], match_by_display_name: true } },
  };

  it('merges global volatile fields with the kind\'s (no duplicates)', () => {
    expect(rulesForKind(rules, 'k')).toEqual({
      volatile_fields: ['id', 'version', 'settingCount'],
      unordered_arrays: ['a'],
      secret_settings: [],
      match_by_display_name: true,
    });
  });

  it('gives safe defaults for an unknown kind (also for prototype names)', () => {
    const defaults = { volatile_fields: ['id', 'version'], unordered_arrays: [], secret_settings: [], match_by_display_name: false };
    expect(rulesForKind(rules, 'unknownKind')).toEqual(defaults);
    expect(rulesForKind(rules, 'constructor')).toEqual(defaults);
  });
});
