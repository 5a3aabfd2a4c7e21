import { memoizedPerRequest, memoizedRowsById, rememberPerRequest, requestMemoMiddleware } from './request-memo';

/** Runs `fn` as the body of one request (inside the middleware's store). */
function inRequest<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    requestMemoMiddleware({} as never, {} as never, () => {
      fn().then(resolve, reject);
    });
  });
}

describe('memoizedPerRequest', () => {
  it('loads each key once within one request, also for concurrent callers', async () => {
    let loads = 0;
    const load = async () => ++loads;
    const values = await inRequest(() =>
      Promise.all([memoizedPerRequest('k', load), memoizedPerRequest('k', load), memoizedPerRequest('other', load)]),
    );
    expect(values[0]).toBe(values[1]);
    expect(loads).toBe(2);
  });

  it('never shares a value between two requests', async () => {
    let loads = 0;
    const load = async () => ++loads;
    const first = await inRequest(() => memoizedPerRequest('k', load));
    const second = await inRequest(() => memoizedPerRequest('k', load));
    expect([first, second]).toEqual([1, 2]);
  });

  it('does not memoize outside a request (workers, CLI)', async () => {
    let loads = 0;
    const load = async () => ++loads;
    await memoizedPerRequest('k', load);
    await memoizedPerRequest('k', load);
    expect(loads).toBe(2);
  });

  it('forgets a failed load so the next caller asks again', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection reset');
      return 'ok';
    };
    const result = await inRequest(async () => {
      await expect(memoizedPerRequest('k', flaky)).rejects.toThrow('connection reset');
      return memoizedPerRequest('k', flaky);
    });
    expect(result).toBe('ok');
    expect(calls).toBe(2);
  });

  it('by id: asks only for ids this request has not seen, remembers misses, keeps the input order', async () => {
    const asked: string[][] = [];
    const load = async (ids: string[]) => {
      asked.push(ids);
      return ids.filter((id) => id !== 'gone').map((id) => ({ id, name: id.toUpperCase() }));
    };
    const [first, second] = await inRequest(async () => {
      rememberPerRequest('row:a', { id: 'a', name: 'A (read by slug)' });
      const one = await memoizedRowsById('row:', ['b', 'a', 'gone'], load);
      const two = await memoizedRowsById('row:', ['gone', 'b', 'a'], load);
      return [one, two];
    });
    expect(asked).toEqual([['b', 'gone']]);
    expect(first.map((r) => r.id)).toEqual(['b', 'a']);
    expect(second.map((r) => r.name)).toEqual(['B', 'A (read by slug)']);
  });
});
