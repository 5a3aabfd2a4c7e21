/** Why the tracking wrapper aborted a handler; the failed-job bridge classifies by these names. */
export class JobTimeoutError extends Error {
  constructor(readonly timeoutS: number) {
    super(`The run exceeded its time limit of ${timeoutS}s.`);
    this.name = 'JobTimeoutError';
  }
}

export class RunNoLongerActiveError extends Error {
  constructor() {
    super('The run was completed by someone else while this attempt was working.');
    this.name = 'RunNoLongerActiveError';
  }
}

/** Rejects as soon as the signal aborts, so a handler that ignores the signal cannot hang a job. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** An operator asked to cancel the run: the worker stops and completes it `cancelled`. */
export class RunCancelledError extends Error {
  constructor() {
    super('An operator cancelled the run while this attempt was working.');
    this.name = 'RunCancelledError';
  }
}

/** The process is shutting down and its grace period ran out: the run goes back to the queue for another worker. */
export class RunHandedBackError extends Error {
  constructor() {
    super('The worker is shutting down: this attempt was handed back for another worker to resume.');
    this.name = 'RunHandedBackError';
  }
}
