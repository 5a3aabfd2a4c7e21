import { Injectable, Module } from '@nestjs/common';
import { startTestApp } from '../../../../../test/support/test-app';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../../../../../test/support/test-handlers';
import { NotificationRunObserver } from '../../../notifications/adapters/notification-run-observer';
import { OperationsMetrics } from '../metrics/operations-metrics';
import { HandlerResult, RunHandler } from '../../core/ports/run-handler.port';
import { RunLifecycleObserver } from '../../core/ports/run-lifecycle-observer.port';
import { RunObserverRegistry } from '../../core/run-observer-registry';
import { RegisterRunHandler } from './register-run-handler.decorator';
import { RegisterRunObserver } from './register-run-observer.decorator';

@Injectable()
@RegisterRunHandler()
class SecondInventorySyncHandler implements RunHandler {
  readonly type = 'inventory.sync';
  parseInput(): Record<string, unknown> {
    return {};
  }
  async handle(): Promise<HandlerResult> {
    return { outcome: 'succeeded' };
  }
}

@Module({ providers: [SecondInventorySyncHandler] })
class DuplicateHandlerModule {}

/** A handler of a test type that claims an artifact type the baselines module already links. */
@Injectable()
@RegisterRunHandler()
class SnapshotClaimingHandler implements RunHandler {
  readonly type = 'test.noop';
  readonly relatedArtifacts = [{ artifactType: 'baseline_snapshot', label: 'Snapshot', href: () => null }];
  parseInput(): Record<string, unknown> {
    return {};
  }
  async handle(): Promise<HandlerResult> {
    return { outcome: 'succeeded' };
  }
}

@Module({ providers: [SnapshotClaimingHandler] })
class DuplicateLinkModule {}

@Injectable()
@RegisterRunObserver()
class DeafObserver implements RunLifecycleObserver {}

@Module({ providers: [DeafObserver] })
class DeafObserverModule {}

describe('the app refuses to boot with an unsafe operations setup', () => {
  it('lists every lifecycle violation from OPS_LIFECYCLE_OVERRIDES', async () => {
    const boot = startTestApp({
      roles: ['web'],
      env: { OPS_LIFECYCLE_OVERRIDES: JSON.stringify({ 'inventory.sync': { heartbeat_s: 5, stale_running_after_s: 6, job_timeout_s: 60 } }) },
    });
    await expect(boot).rejects.toThrow(/Lifecycle configuration is invalid/);
    await expect(boot).rejects.toThrow(/three heartbeat intervals/);
    await expect(boot).rejects.toThrow(/job_timeout_s \(60s\) is shorter than expected_duration_s \(120s\)/);
  });

  it('accepts short test windows when they keep every invariant', async () => {
    const t = await startTestApp({
      roles: ['web'],
      env: {
        OPS_LIFECYCLE_OVERRIDES: JSON.stringify({
          'inventory.sync': { heartbeat_s: 1, stale_running_after_s: 8, expected_duration_s: 20, job_timeout_s: 30, backoff: { delay_s: 2 } },
        }),
      },
    });
    await t.close();
  });

  it('fails when a catalog type names a capability that does not exist', async () => {
    await expect(
      startTestApp({
        roles: ['web'],
        imports: [TestHandlersModule],
        extraTypes: { ...TEST_OPERATION_TYPES, 'test.noop': { ...TEST_OPERATION_TYPES['test.noop'], capability: 'inventory.synk' } },
      }),
    ).rejects.toThrow(/test\.noop: capability "inventory\.synk" is not in the capability registry/);
  });

  it('fails when a catalog type has no handler', async () => {
    await expect(
      startTestApp({ roles: ['web'], extraTypes: { 'test.orphan': TEST_OPERATION_TYPES['test.always_fails'] } }),
    ).rejects.toThrow(/test\.orphan: no handler is registered/);
  });

  it('fails when two handlers claim one type', async () => {
    await expect(startTestApp({ roles: ['web'], imports: [DuplicateHandlerModule] })).rejects.toThrow(
      /inventory\.sync: two handlers are registered/,
    );
  });

  it('fails when a handler exists for a type the catalog does not know', async () => {
    await expect(startTestApp({ roles: ['web'], imports: [TestHandlersModule] })).rejects.toThrow(
      /test\.always_fails: a handler is registered for a type that is not a canonical catalog type/,
    );
  });

  it('fails when two modules link the same related artifact type', async () => {
    await expect(
      startTestApp({ roles: ['web'], imports: [DuplicateLinkModule], extraTypes: { 'test.noop': TEST_OPERATION_TYPES['test.noop'] } }),
    ).rejects.toThrow(/baseline_snapshot: two links are registered/);
  });

  it('fails when a registered run observer hears nothing', async () => {
    await expect(startTestApp({ roles: ['web'], imports: [DeafObserverModule] })).rejects.toThrow(
      /DeafObserver: implements neither onCompleted nor onCompletedMany/,
    );
  });

  it('discovers the metrics and notification observers their modules register', async () => {
    const t = await startTestApp({ roles: ['web'] });
    try {
      const observers = t.get<RunObserverRegistry>(RunObserverRegistry).observers;
      expect(observers).toHaveLength(2);
      expect(observers).toEqual(expect.arrayContaining([t.get(OperationsMetrics), t.get(NotificationRunObserver)]));
    } finally {
      await t.close();
    }
  });
});
