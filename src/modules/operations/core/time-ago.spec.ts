import { at, T0 } from '../../../../test/support/run-builder';
import { timeAgo } from './time-ago';

describe('timeAgo', () => {
  it.each([
    [0, 'less than a minute ago'],
    [59, 'less than a minute ago'],
    [60, '1 min ago'],
    [6 * 60 + 59, '6 min ago'],
    [59 * 60 + 59, '59 min ago'],
    [3600, '1 hour ago'],
    [3 * 3600 + 1, '3 hours ago'],
    [47 * 3600, '47 hours ago'],
    [48 * 3600, '2 days ago'],
    [10 * 86400 + 5, '10 days ago'],
  ])('%i s → %s', (seconds, label) => {
    expect(timeAgo(T0, at(seconds))).toBe(label);
  });

  it('reads a time in the future as just now, never as a negative age', () => {
    expect(timeAgo(at(120), T0)).toBe('less than a minute ago');
  });
});
