import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ReconciliationAdapterRegistry } from '../core/reconciliation-adapter.registry';
import { ReconciliationAdapter } from '../core/ports/reconciliation-adapter.port';
import { RECONCILIATION_ADAPTER_METADATA } from './register-reconciliation-adapter.decorator';

@Injectable()
export class ReconciliationAdapterDiscovery implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(ReconciliationAdapterRegistry) private readonly registry: ReconciliationAdapterRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.registerAll(
      this.discovery
        .getProviders()
        .filter((w) => w.metatype && Reflect.getMetadata(RECONCILIATION_ADAPTER_METADATA, w.metatype))
        .map((w) => w.instance as ReconciliationAdapter)
        .filter((instance) => !!instance),
    );
  }
}
