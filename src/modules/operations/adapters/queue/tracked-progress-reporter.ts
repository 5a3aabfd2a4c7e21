import { CompositePart, OperationRun } from '../../core/operation-run';
import { OperationRunService } from '../../core/operation-run.service';
import { ProgressReporter } from '../../core/ports/progress-reporter.port';

const COUNTED_MIN_INTERVAL_MS = 500;

/**
 * The handler-facing progress port for one attempt. Counted updates are throttled (the final
 * count is always written by `flush`); phases and composite parts are written at once because
 * each one is a real change of state. After `close` it writes nothing.
 */
export class TrackedProgressReporter implements ProgressReporter {
  private lastCountedAt = 0;
  private pendingCounted: [number, number] | null = null;
  private closed = false;

  constructor(
    private run: OperationRun,
    private readonly service: OperationRunService,
  ) {}

  current(): OperationRun {
    return this.run;
  }

  async counted(processed: number, total: number): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    if (now - this.lastCountedAt < COUNTED_MIN_INTERVAL_MS && processed < total) {
      this.pendingCounted = [processed, total];
      return;
    }
    this.lastCountedAt = now;
    this.pendingCounted = null;
    this.keep(await this.service.reportCounted(this.run, processed, total));
  }

  async phase(key: string): Promise<void> {
    if (this.closed) return;
    this.keep(await this.service.reportPhase(this.run, key));
  }

  async composite(parts: CompositePart[]): Promise<void> {
    if (this.closed) return;
    this.keep(await this.service.reportComposite(this.run, parts));
  }

  async flush(): Promise<void> {
    if (this.closed || !this.pendingCounted) return;
    const [processed, total] = this.pendingCounted;
    this.pendingCounted = null;
    this.keep(await this.service.reportCounted(this.run, processed, total));
  }

  close(): void {
    this.closed = true;
  }

  private keep(updated: OperationRun | null): void {
    if (updated) this.run = updated;
  }
}
