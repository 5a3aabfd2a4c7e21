import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OperationsModule } from '../../../modules/operations/operations.module';
import { HealthController } from './health.controller';
import { MetricsListener } from './metrics-listener';
import { ReadinessIndicators } from './readiness.indicators';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), OperationsModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators, ReadinessService, MetricsListener],
})
export class HealthModule {}
