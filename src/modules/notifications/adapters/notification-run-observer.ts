import { Inject, Injectable, Logger } from '@nestjs/common';
import { driverReason } from '../../../shared/adapters/persistence/driver-reason';
import { RegisterRunObserver } from '../../operations/adapters/queue/register-run-observer.decorator';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { OperationRun } from '../../operations/core/operation-run';
import { RunLifecycleObserver } from '../../operations/core/ports/run-lifecycle-observer.port';
import { TENANCY_DIRECTORY, TenancyDirectory } from '../../rbac/core/ports/tenancy-directory.port';
import { NotificationDraft, notificationForCompletedRun } from '../core/notification-rules';
import { NOTIFICATION_INBOX, NotificationInbox } from '../core/ports/notification-inbox.port';

/**
 * Notifies the initiator of every completed run (worker completions, the failed-job bridge and
 * reconciler batches alike). A failure is logged and swallowed: notifications must never undo or
 * block run truth.
 */
@Injectable()
@RegisterRunObserver()
export class NotificationRunObserver implements RunLifecycleObserver {
  private readonly logger = new Logger(NotificationRunObserver.name);

  constructor(
    @Inject(NOTIFICATION_INBOX) private readonly inbox: NotificationInbox,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
  ) {}

  async onCompleted(run: OperationRun): Promise<void> {
    await this.onCompletedMany([run]);
  }

  async onCompletedMany(runs: OperationRun[]): Promise<void> {
    try {
      const due = runs.filter((r) => r.status === 'completed' && r.initiatorUserId);
      if (!due.length) return;
      const environmentIds = [...new Set(due.flatMap((r) => (r.environmentId ? [r.environmentId] : [])))];
      const environments = new Map((await this.tenancy.findEnvironmentsByIds(environmentIds)).map((e) => [e.id, e]));
      const now = this.clock.now();
      const drafts = due
        .map((run) =>
          notificationForCompletedRun(run, {
            definition: this.catalog.resolve(run.type) ?? null,
            environmentName: (run.environmentId && environments.get(run.environmentId)?.displayName) || null,
            now,
          }),
        )
        .filter((d): d is NotificationDraft => d !== null);
      await this.inbox.record(drafts);
    } catch (error) {
      const which = runs.length === 1 ? `run ${runs[0].id}` : `${runs.length} runs`;
      this.logger.error(`Could not notify the completion of ${which}: ${driverReason(error)}`);
    }
  }
}
