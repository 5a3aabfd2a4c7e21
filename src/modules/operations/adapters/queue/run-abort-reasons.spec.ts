import { JobTimeoutError, raceAbort, RunNoLongerActiveError } from './run-abort-reasons';

/** A promise with its settle functions exposed, so each test decides the order of events. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('JobTimeoutError', () => {
  it('carries its name, the limit and an operator sentence', () => {
    const error = new JobTimeoutError(600);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('JobTimeoutError');
    expect(error.timeoutS).toBe(600);
    expect(error.message).toBe('The run exceeded its time limit of 600s.');
  });
});

describe('RunNoLongerActiveError', () => {
  it('has its own name', () => {
    const error = new RunNoLongerActiveError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RunNoLongerActiveError');
  });
});

describe('raceAbort', () => {
  it('resolves with the work when it finishes first', async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(42), controller.signal)).resolves.toBe(42);
  });

  it('rejects with the work error when the work fails first', async () => {
    const controller = new AbortController();
    const error = new Error('handler failed');
    await expect(raceAbort(Promise.reject(error), controller.signal)).rejects.toBe(error);
  });

  it('rejects with the abort reason as soon as the signal aborts, without waiting for the work', async () => {
    const controller = new AbortController();
    const work = deferred<string>(); // never settles on its own: a handler that ignores the signal
    const raced = raceAbort(work.promise, controller.signal);
    const timeout = new JobTimeoutError(5);
    controller.abort(timeout);
    await expect(raced).rejects.toBe(timeout);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new RunNoLongerActiveError();
    controller.abort(reason);
    await expect(raceAbort(Promise.resolve('done'), controller.signal)).rejects.toBe(reason);
  });

  it('the work settling after an abort does not change the rejection', async () => {
    const controller = new AbortController();
    const work = deferred<string>();
    const raced = raceAbort(work.promise, controller.signal);
    const reason = new JobTimeoutError(5);
    controller.abort(reason);
    work.resolve('too late');
    await expect(raced).rejects.toBe(reason);
  });

  it('removes its abort listener once the work settles', async () => {
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const add = jest.spyOn(controller.signal, 'addEventListener');
    await raceAbort(Promise.resolve(1), controller.signal);
    await expect(raceAbort(Promise.reject(new Error('x')), controller.signal)).rejects.toThrow('x');
    expect(add).toHaveBeenCalledTimes(2);
    expect(remove).toHaveBeenCalledTimes(2);
    expect(remove.mock.calls.map((c) => c[1])).toEqual(add.mock.calls.map((c) => c[1]));
  });
});
