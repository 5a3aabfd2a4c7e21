import { expectErrorCatalog } from '../../../../test/support/error-catalog';
import { EnvironmentReviewErrors } from './environment-reviews-errors';

describe('EnvironmentReviewErrors', () => {
  it('holds each error once, every code with its one kind', () => {
    expectErrorCatalog(
      EnvironmentReviewErrors,
      { invalid_input: 'invalid' },
      {
        unknownInputField: ['color'],
        periodMalformed: ['2024-13'],
        periodOutOfBounds: [2000, '2026-05', '1999-12'],
        rangeReversed: ['2024-03-01', '2024-03-31'],
        rangeBeyondCurrentMonth: ['2030-01-31', '2026-05'],
        invalidDay: ['from', 2000, '2024-02-30'],
        composeNeedsEnvironment: ['environment.review.compose'],
      },
    );
  });

  it('names the refused field in the details, so a form can show the message beside it', () => {
    expect(EnvironmentReviewErrors.invalidDay('to', 2000).details).toEqual({ field: 'to' });
    expect(EnvironmentReviewErrors.invalidDay('to', 2000).message).toBe(
      'to must be a calendar date from 2000-01-01 written as YYYY-MM-DD, e.g. "2024-03-31".',
    );
    expect(EnvironmentReviewErrors.unknownInputField('color').details).toEqual({ field: 'color' });
  });
});
