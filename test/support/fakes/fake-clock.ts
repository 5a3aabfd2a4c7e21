import { Clock } from '../../../src/shared/core/clock.port';
import { T0 } from '../run-builder';

/** A clock that only moves when a test moves it. Starts at `T0` unless told otherwise. */
export class FakeClock implements Clock {
  private current: Date;

  constructor(start: Date = T0) {
    this.current = new Date(start.getTime());
  }

  /** A fresh Date each call, so callers cannot mutate the clock through it. */
  now(): Date {
    return new Date(this.current.getTime());
  }

  /** Moves forward (or backward, for a negative value) by a number of seconds; fractions allowed. */
  advance(seconds: number): Date {
    this.current = new Date(this.current.getTime() + seconds * 1000);
    return this.now();
  }

  set(date: Date): void {
    this.current = new Date(date.getTime());
  }
}
