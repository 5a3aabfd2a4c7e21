import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { RunHandler } from '../../core/ports/run-handler.port';
import { RunHandlerRegistry } from '../../core/run-handler-registry';
import { RUN_HANDLER_METADATA } from './register-run-handler.decorator';

/** Finds every `@RegisterRunHandler()` provider once all modules are built; boot fails on gaps. */
@Injectable()
export class RunHandlerDiscovery implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(RunHandlerRegistry) private readonly registry: RunHandlerRegistry,
  ) {}

  onModuleInit(): void {
    const handlers = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && Reflect.getMetadata(RUN_HANDLER_METADATA, wrapper.metatype))
      .map((wrapper) => wrapper.instance as RunHandler)
      .filter((instance) => !!instance);
    this.registry.registerAll(handlers);
  }
}
