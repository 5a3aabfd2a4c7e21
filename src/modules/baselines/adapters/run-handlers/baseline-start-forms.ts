import { StartField, StartForm } from '../../../operations/core/start-form';

/**
 * The start forms of the baseline types, restating for pages what parseBaselineInput and the
 * handlers' prepareStart check: a capture runs in its profile's source environment, a compare
 * needs a complete snapshot of its profile.
 */
const baselineField = (rule: StartField['rule'], precondition?: StartField['precondition']): StartField => ({
  name: 'baseline_id',
  kind: 'baseline',
  rule,
  ...(precondition ? { precondition } : {}),
});

export const BASELINE_CAPTURE_START_FORM: StartForm = { fields: [baselineField('source')] };

export const BASELINE_COMPARE_START_FORM: StartForm = {
  fields: [
    baselineField('any', {
      holds: (profile) => profile.hasCompleteSnapshot,
      note: 'no snapshot yet',
      reason: 'Capture a baseline snapshot first.',
    }),
  ],
};
