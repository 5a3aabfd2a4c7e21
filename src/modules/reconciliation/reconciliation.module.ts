import { Module } from '@nestjs/common';

/** Placeholder: this module's capability arrives with its own issue (see SPEC). */
@Module({})
export class ReconciliationModule {}
