/** Stops work between batches once the run's attempt is aborted (timeout, finished elsewhere). */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
}
