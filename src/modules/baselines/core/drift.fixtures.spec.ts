import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BaselineRules, parseBaselineRules } from './baseline-rules';
import { ComparableItem, compareInventories } from './drift';
import { normalizedItemHash, normalizeSettings } from './normalization';

/** The shipped demo fixtures and rules, read as an operator would ship them. */
const ROOT = path.resolve(__dirname, '../../../..');
const readJson = (relative: string) => JSON.parse(readFileSync(path.join(ROOT, relative), 'utf8'));

interface FixtureItem {
  kind: string;
  external_id: string;
  display_name: string;
  settings: Record<string, unknown>;
}

const rules: BaselineRules = parseBaselineRules(readJson('config/baselines.json'));

function inventory(slug: string): ComparableItem[] {
  return (readJson(`config/inventory/${slug}.json`).items as FixtureItem[]).map((i) => ({
    kind: i.kind,
    external_id: i.external_id,
    display_name: i.display_name,
    normalized: normalizeSettings(i.settings, i.kind, rules),
  }));
}

describe('baseline compare on the demo fixtures (shipped config/baselines.json)', () => {
  const contoso = inventory('contoso-hq');
  const fabrikam = inventory('fabrikam');

  it('finds nothing when contoso-hq is compared with itself', () => {
    expect(compareInventories(contoso, inventory('contoso-hq'), rules)).toEqual([]);
  });

  it('finds exactly the seeded drift in fabrikam', () => {
    const findings = compareInventories(contoso, fabrikam, rules);
    const summary = findings.map((f) => ({
      type: f.type,
      kind: f.kind,
      display_name: f.display_name,
      changes: f.changes,
    }));
    expect(summary).toEqual([
      {
        type: 'setting_differs',
        kind: 'appProtectionPolicy',
        display_name: 'iOS - App Protection - Corporate data',
        changes: [
          { path: 'dataBackupBlocked', before: true, after: false },
          { path: 'minimumPinLength', before: 6, after: 4 },
        ],
      },
      {
        type: 'missing_in_target',
        kind: 'conditionalAccessPolicy',
        display_name: 'CA005: Block access from untrusted countries',
        changes: undefined,
      },
      {
        type: 'setting_differs',
        kind: 'conditionalAccessPolicy',
        display_name: 'CA003: Require MFA for all users',
        changes: [
          { path: 'grantControls.builtInControls', before: ['mfa'], after: ['compliantDevice', 'mfa'] },
          { path: 'state', before: 'enabled', after: 'enabledForReportingButNotEnforced' },
        ],
      },
      {
        type: 'unexpected_in_target',
        kind: 'deviceConfiguration',
        display_name: 'Fabrikam - Legacy VPN profile',
        changes: undefined,
      },
      {
        type: 'setting_differs',
        kind: 'deviceConfiguration',
        display_name: 'Win10 - Device Restrictions - Corporate',
        changes: [
          { path: 'defender.cloudBlockLevel', before: 'high', after: 'moderate' },
          { path: 'passwordMinimumLength', before: 14, after: 8 },
        ],
      },
    ]);
    expect(findings.filter((f) => f.type === 'missing_in_target')).toHaveLength(1);
    expect(findings.filter((f) => f.type === 'unexpected_in_target')).toHaveLength(1);
    expect(findings.filter((f) => f.type === 'setting_differs')).toHaveLength(3);
  });

  it('gives shared, unchanged policies the same hash although their volatile fields differ', () => {
    const byId = new Map(fabrikam.map((i) => [`${i.kind}/${i.external_id}`, i]));
    const drifted = new Set(['CA003: Require MFA for all users', 'Win10 - Device Restrictions - Corporate', 'iOS - App Protection - Corporate data']);
    let compared = 0;
    for (const item of contoso) {
      const other = byId.get(`${item.kind}/${item.external_id}`);
      if (!other) continue;
      compared++;
      expect(normalizedItemHash(other) === normalizedItemHash(item)).toBe(!drifted.has(item.display_name));
    }
    expect(compared).toBe(41);
  });

  it('still finds the same drift when the target tenant has its own object ids (display-name fallback)', () => {
    const reIded = fabrikam.map((i) => ({ ...i, external_id: `fab-${i.external_id}` }));
    const findings = compareInventories(contoso, reIded, rules);
    expect(findings.map((f) => [f.type, f.display_name]).sort()).toEqual(
      [
        ['missing_in_target', 'CA005: Block access from untrusted countries'],
        ['setting_differs', 'CA003: Require MFA for all users'],
        ['setting_differs', 'Win10 - Device Restrictions - Corporate'],
        ['setting_differs', 'iOS - App Protection - Corporate data'],
        ['unexpected_in_target', 'Fabrikam - Legacy VPN profile'],
      ].sort(),
    );
  });
});
