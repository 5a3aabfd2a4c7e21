import { readinessChecksFor } from './readiness-policy';

describe('readinessChecksFor', () => {
  it('a web instance needs the database and its migrations, and reports Redis and the fleet', () => {
    expect(readinessChecksFor(['web'])).toEqual({ required: ['database', 'migrations'], reported: ['redis', 'fleet_workers'] });
  });

  it('a worker also needs Redis and its own heartbeat; Redis is then decided, not reported', () => {
    expect(readinessChecksFor(['web', 'worker'])).toEqual({
      required: ['database', 'migrations', 'redis', 'worker'],
      reported: ['fleet_workers'],
    });
  });

  it('a scheduler needs Redis; roles add each check once', () => {
    expect(readinessChecksFor(['scheduler', 'worker', 'scheduler'])).toEqual({
      required: ['database', 'migrations', 'redis', 'worker'],
      reported: ['fleet_workers'],
    });
  });
});
