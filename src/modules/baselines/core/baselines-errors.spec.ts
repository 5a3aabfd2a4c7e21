import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { BaselineErrors } from './baselines-errors';

describe('BaselineErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      BaselineErrors,
      {
        invalid_input: 'invalid',
        baseline_name_taken: 'conflict',
        invalid_baseline_rules: 'invalid',
        invalid_cursor: 'invalid',
        invalid_query: 'invalid',
        snapshot_unusable: 'invalid',
        compare_unusable: 'invalid',
        environment_not_found: 'not_found',
        inventory_fixture_invalid: 'invalid',
        inventory_fixture_missing: 'not_found',
        inventory_provider_failed: 'unavailable',
      },
      {
        profileNotFound: ['p-1'],
        nameTaken: ['Contoso'],
        sourceEnvironmentNotFound: ['contoso-hq'],
        invalidRules: [['kinds must be an object']],
        invalidQuery: ['limit must be a whole number between 1 and 200'],
        invalidRunInput: ['baseline.capture'],
        unexpectedRunInputField: ['baseline.capture', 'x'],
        baselineIdMissing: ['baseline.capture'],
        captureOutsideSource: ['Contoso'],
        noCompleteSnapshot: ['Contoso'],
        syncTakesNoInput: ['x'],
        fixtureSlugUnusable: ['../x'],
        fixtureMissing: ['contoso-hq.json', '/fixtures'],
        fixtureUnreadable: ['contoso-hq.json'],
        fixtureNotJson: ['contoso-hq.json'],
        fixtureInvalid: ['contoso-hq.json', 'items must be a list'],
        providerStopped: [3],
      },
    );
  });
});
