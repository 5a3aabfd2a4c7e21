import { BaselineCaptureReconciliationAdapter } from './adapters/reconciliation/baseline-capture.reconciliation-adapter';
import { BaselineCompareReconciliationAdapter } from './adapters/reconciliation/baseline-compare.reconciliation-adapter';
import { BaselineCaptureHandler } from './adapters/run-handlers/baseline-capture.handler';
import { BaselineCompareHandler } from './adapters/run-handlers/baseline-compare.handler';

/** Run handlers and reconciliation adapters of baseline.capture and baseline.compare. */
export const BASELINE_RUN_PROVIDERS = [
  BaselineCaptureHandler,
  BaselineCompareHandler,
  BaselineCaptureReconciliationAdapter,
  BaselineCompareReconciliationAdapter,
];
