import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OperationsModule } from '../operations/operations.module';
import { HealthController } from './adapters/health.controller';
import { MetricsListener } from './adapters/metrics-listener';
import { ReadinessIndicators } from './adapters/readiness.indicators';
import { ReadinessService } from './adapters/readiness.service';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), OperationsModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators, ReadinessService, MetricsListener],
})
export class HealthModule {}
