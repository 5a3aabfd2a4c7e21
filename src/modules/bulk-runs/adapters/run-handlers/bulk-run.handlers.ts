import { Inject, Injectable } from '@nestjs/common';
import { RegisterRunHandler } from '../../../operations/adapters/queue/register-run-handler.decorator';
import { RelatedRef } from '../../../operations/core/operation-run';
import { HandlerResult, RunExecution, RunHandler } from '../../../operations/core/ports/run-handler.port';
import { runChildrenRef } from '../../application/act-on-each';
import { BulkRunWork } from '../../application/bulk-run-work';
import { parseBulkInput, parseFanOutInput } from '../../core/bulk-input';
import { BULK_CANCEL_TYPE, BULK_RETRY_TYPE, BulkAction, FAN_OUT_TYPE } from '../../core/bulk-run-types';
import { RUN_CHILDREN_LINK } from './run-children.link';

/** What every bulk type shares: its input parser, its children list from the first moment, the work. */
abstract class BulkRunHandler implements RunHandler {
  abstract readonly type: string;

  constructor(@Inject(BulkRunWork) protected readonly work: BulkRunWork) {}

  abstract parseInput(raw: unknown): Record<string, unknown>;
  abstract handle(execution: RunExecution): Promise<HandlerResult>;

  relatedAtStart(runId: string): RelatedRef {
    return runChildrenRef(runId);
  }
}

/** Bulk cancel and bulk retry: the action over the hub view its input names, for its initiator. */
abstract class BulkActionHandler extends BulkRunHandler {
  protected abstract readonly action: BulkAction;

  parseInput(raw: unknown): Record<string, unknown> {
    return { ...parseBulkInput(this.type, raw) };
  }

  handle(execution: RunExecution): Promise<HandlerResult> {
    return this.work.bulk(this.action, execution);
  }
}

/** `operations.bulk_cancel`: cancels the active runs of a hub view. */
@Injectable()
@RegisterRunHandler()
export class BulkCancelHandler extends BulkActionHandler {
  readonly type = BULK_CANCEL_TYPE;
  protected readonly action = 'cancel';
  // One registration per artifact type: the three bulk types share this link, declared here.
  readonly relatedArtifacts = [RUN_CHILDREN_LINK];
}

/** `operations.bulk_retry`: retries the retryable runs of a hub view that no retry names yet. */
@Injectable()
@RegisterRunHandler()
export class BulkRetryHandler extends BulkActionHandler {
  readonly type = BULK_RETRY_TYPE;
  protected readonly action = 'retry';
}

/** `operations.fan_out`: starts one run of a type in each chosen environment (deduped per environment). */
@Injectable()
@RegisterRunHandler()
export class FanOutHandler extends BulkRunHandler {
  readonly type = FAN_OUT_TYPE;

  parseInput(raw: unknown): Record<string, unknown> {
    return { ...parseFanOutInput(this.type, raw) };
  }

  handle(execution: RunExecution): Promise<HandlerResult> {
    return this.work.fanOut(execution);
  }
}
