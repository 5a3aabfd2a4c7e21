import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { emptyTabCounts, isRunTab, RUN_TABS, tabsOfRun } from './run-tabs';

const definition = buildDefinition(); // stale queued after 300 s, running after 90 s

describe('tabsOfRun', () => {
  it('puts a fresh queued run in all and active', () => {
    expect(tabsOfRun(buildRun(), definition, at(10))).toEqual(['all', 'active']);
  });

  it('adds stale attention strictly past the window', () => {
    expect(tabsOfRun(buildRun(), definition, at(300))).toEqual(['all', 'active']);
    expect(tabsOfRun(buildRun(), definition, at(300.001))).toEqual(['all', 'active', 'active_stale_attention']);
    const running = buildRun({ status: 'running', startedAt: T0, lastHeartbeatAt: at(10) });
    expect(tabsOfRun(running, definition, at(100.001))).toEqual(['all', 'active', 'active_stale_attention']);
  });

  it('never marks a run stale without a policy', () => {
    expect(tabsOfRun(buildRun(), null, at(1e6))).toEqual(['all', 'active']);
  });

  it('classifies terminal runs by outcome and reconciliation', () => {
    const done = (outcome: 'failed' | 'succeeded', context = {}) =>
      buildRun({ status: 'completed', outcome, completedAt: at(5), context });
    expect(tabsOfRun(done('succeeded'), definition, at(10))).toEqual(['all']);
    expect(tabsOfRun(done('failed'), definition, at(10))).toEqual(['all', 'terminal_follow_up']);
    expect(tabsOfRun(done('failed', { reconciliation: { reason: 'stale_running' } }), definition, at(10))).toEqual([
      'all',
      'reconciled',
    ]);
  });

  it('takes a failed run out of Needs follow-up once a later success superseded it (it stays in All)', () => {
    const failed = buildRun({ status: 'completed', outcome: 'failed', completedAt: at(5) });
    expect(tabsOfRun({ ...failed, supersededBy: null }, definition, at(10))).toEqual(['all', 'terminal_follow_up']);
    expect(tabsOfRun({ ...failed, supersededBy: 'later-success' }, definition, at(10))).toEqual(['all']);
  });

  it('knows its tab names', () => {
    expect(RUN_TABS.every(isRunTab)).toBe(true);
    expect(isRunTab('none')).toBe(false);
    expect(Object.keys(emptyTabCounts())).toEqual([...RUN_TABS]);
  });
});
