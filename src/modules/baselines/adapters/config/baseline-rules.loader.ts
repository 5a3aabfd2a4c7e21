import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../../shared/adapters/config/app-config';
import { isDomainError } from '../../../../shared/core/domain-error';
import { BaselineRules, parseBaselineRules } from '../../core/baseline-rules';

export const BASELINE_RULES_FILE = join('config', 'baselines.json');

/**
 * Boot path: config/baselines.json → BaselineRules, or one ConfigError naming the file and
 * listing every problem (unreadable file, invalid JSON, or each rule problem).
 */
export function loadBaselineRules(projectRoot: string): BaselineRules {
  const file = join(projectRoot, BASELINE_RULES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([`cannot read baseline rules ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`baseline rules ${file} is not valid JSON: ${(e as Error).message}`]);
  }
  try {
    return parseBaselineRules(raw);
  } catch (e) {
    if (isDomainError(e) && e.code === 'invalid_baseline_rules') {
      const problems = Array.isArray(e.details.problems) ? (e.details.problems as string[]) : [e.message];
      throw new ConfigError(problems.map((p) => `baseline rules ${file}: ${p}`));
    }
    throw e;
  }
}
