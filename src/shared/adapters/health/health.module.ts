import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OperationsModule } from '../../../modules/operations/operations.module';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './readiness.indicators';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), OperationsModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
})
export class HealthModule {}
