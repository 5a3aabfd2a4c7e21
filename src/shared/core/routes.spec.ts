import { hubQueryString, routes } from './routes';

describe('routes', () => {
  it('encodes slugs and ids in every segment', () => {
    expect(routes.workspace('a b')).toBe('/w/a%20b');
    expect(routes.environmentReview('w/x', 'e?1', 'id#')).toBe('/w/w%2Fx/e/e%3F1/reviews/id%23');
    expect(routes.run('r/1')).toBe('/operations/r%2F1');
    expect(routes.runLive('r1')).toBe('/operations/r1/live');
    expect(routes.baselineNew('a b')).toBe('/w/a%20b/baselines/new');
    expect(routes.baseline('w x', 'id/1')).toBe('/w/w%20x/baselines/id%2F1');
    expect(routes.baselineCompare('acme', 'b1')).toBe('/w/acme/baselines/b1/compare');
    expect(routes.baselineSnapshot('acme', 's/1')).toBe('/w/acme/baselines/snapshots/s%2F1');
    expect(routes.baselineCompareResult('acme', 'c?1')).toBe('/w/acme/baselines/compare-results/c%3F1');
  });

  it('links the notifications page, an older page by its cursor', () => {
    expect(routes.notifications()).toBe('/notifications');
    expect(routes.notifications(null)).toBe('/notifications');
    expect(routes.notifications('MjAyNi0xMS0yMlQwNzo0MDoxMVp8YQ')).toBe('/notifications?cursor=MjAyNi0xMS0yMlQwNzo0MDoxMVp8YQ');
    expect(routes.notifications('a+b/')).toBe('/notifications?cursor=a%2Bb%2F');
  });

  it('orders hub keys one way whatever order they are given in, and leaves defaults out', () => {
    const a = routes.hub('acme', { from: '2026-01-01', tab: 'active', environment: 'prod' });
    const b = routes.hub('acme', { environment: 'prod', tab: 'active', from: '2026-01-01' });
    expect(a).toBe('/w/acme/operations?tab=active&environment=prod&from=2026-01-01');
    expect(b).toBe(a);
    expect(routes.hub('acme', { tab: 'all', outcome: '', cursor: null })).toBe('/w/acme/operations');
    expect(routes.hub('acme', { tab: 'stale' }, '/bulk')).toBe('/w/acme/operations/bulk?tab=stale');
  });

  it('encodes query values', () => {
    expect(hubQueryString({ initiator: 'a&b=c', limit: 25 })).toBe('initiator=a%26b%3Dc&limit=25');
  });
});
