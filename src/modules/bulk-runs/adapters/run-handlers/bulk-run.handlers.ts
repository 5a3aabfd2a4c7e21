import { Inject, Injectable } from '@nestjs/common';
import { RegisterRunHandler } from '../../../operations/adapters/queue/register-run-handler.decorator';
import { HandlerResult, RunExecution, RunHandler } from '../../../operations/core/ports/run-handler.port';
import { runChildrenRef } from '../../application/act-on-each';
import { BulkRunWork } from '../../application/bulk-run-work';
import { RelatedRef } from '../../../operations/core/operation-run';
import { parseBulkInput, parseFanOutInput } from '../../core/bulk-input';
import { BULK_CANCEL_TYPE, BULK_RETRY_TYPE, FAN_OUT_TYPE } from '../../core/bulk-run-types';
import { RUN_CHILDREN_LINK } from './run-children.link';

/** `operations.bulk_cancel`: cancels the active runs of a hub view, for its initiator. */
@Injectable()
@RegisterRunHandler()
export class BulkCancelHandler implements RunHandler {
  readonly type = BULK_CANCEL_TYPE;
  // One registration per artifact type: the three bulk types share this link, declared here.
  readonly relatedArtifacts = [RUN_CHILDREN_LINK];

  constructor(@Inject(BulkRunWork) private readonly work: BulkRunWork) {}

  parseInput(raw: unknown): Record<string, unknown> {
    return { ...parseBulkInput(this.type, raw) };
  }

  relatedAtStart(runId: string): RelatedRef {
    return runChildrenRef(runId);
  }

  handle(execution: RunExecution): Promise<HandlerResult> {
    return this.work.bulk('cancel', execution);
  }
}

/** `operations.bulk_retry`: retries the retryable runs of a hub view that no retry names yet. */
@Injectable()
@RegisterRunHandler()
export class BulkRetryHandler implements RunHandler {
  readonly type = BULK_RETRY_TYPE;

  constructor(@Inject(BulkRunWork) private readonly work: BulkRunWork) {}

  parseInput(raw: unknown): Record<string, unknown> {
    return { ...parseBulkInput(this.type, raw) };
  }

  relatedAtStart(runId: string): RelatedRef {
    return runChildrenRef(runId);
  }

  handle(execution: RunExecution): Promise<HandlerResult> {
    return this.work.bulk('retry', execution);
  }
}

/** `operations.fan_out`: starts one run of a type in each chosen environment (deduped per environment). */
@Injectable()
@RegisterRunHandler()
export class FanOutHandler implements RunHandler {
  readonly type = FAN_OUT_TYPE;

  constructor(@Inject(BulkRunWork) private readonly work: BulkRunWork) {}

  parseInput(raw: unknown): Record<string, unknown> {
    return { ...parseFanOutInput(this.type, raw) };
  }

  relatedAtStart(runId: string): RelatedRef {
    return runChildrenRef(runId);
  }

  handle(execution: RunExecution): Promise<HandlerResult> {
    return this.work.fanOut(execution);
  }
}
