import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OperationsModule } from '../operations/operations.module';
import { HealthController } from './adapters/health.controller';
import { MetricsListener } from './adapters/metrics-listener';
import { ReadinessIndicators } from './adapters/readiness.indicators';
import { TerminusReadinessProbe } from './adapters/terminus-readiness-probe';
import { CheckReadiness } from './application/check-readiness.query';
import { READINESS_PROBE } from './core/ports/readiness-probe.port';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), OperationsModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators, { provide: READINESS_PROBE, useClass: TerminusReadinessProbe }, CheckReadiness, MetricsListener],
})
export class HealthModule {}
