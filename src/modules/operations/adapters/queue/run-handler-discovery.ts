import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { RunHandler } from '../../core/ports/run-handler.port';
import { RunLifecycleObserver } from '../../core/ports/run-lifecycle-observer.port';
import { RelatedArtifactLinks } from '../../core/related-artifact-links';
import { RunHandlerRegistry } from '../../core/run-handler-registry';
import { RunObserverRegistry } from '../../core/run-observer-registry';
import { StartFormRegistry } from '../../core/start-form';
import { RUN_HANDLER_METADATA } from './register-run-handler.decorator';
import { RUN_OBSERVER_METADATA } from './register-run-observer.decorator';

/**
 * Finds every `@RegisterRunHandler()` and `@RegisterRunObserver()` provider once all modules are
 * built; the handlers bring their types' start forms and related-artifact links. Boot fails on gaps.
 */
@Injectable()
export class RunHandlerDiscovery implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(RunHandlerRegistry) private readonly registry: RunHandlerRegistry,
    @Inject(StartFormRegistry) private readonly startForms: StartFormRegistry,
    @Inject(RelatedArtifactLinks) private readonly relatedLinks: RelatedArtifactLinks,
    @Inject(RunObserverRegistry) private readonly observers: RunObserverRegistry,
  ) {}

  onModuleInit(): void {
    const handlers = this.marked<RunHandler>(RUN_HANDLER_METADATA).map((m) => m.instance);
    this.registry.registerAll(handlers);
    this.startForms.registerAll(handlers.flatMap((h) => (h.startForm ? [{ type: h.type, form: h.startForm }] : [])));
    this.relatedLinks.registerAll(handlers.flatMap((h) => h.relatedArtifacts ?? []));
    this.observers.registerAll(
      this.marked<RunLifecycleObserver>(RUN_OBSERVER_METADATA).map((m) => ({ name: m.name, observer: m.instance })),
    );
  }

  private marked<T>(metadataKey: string): { name: string; instance: T }[] {
    return this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && Reflect.getMetadata(metadataKey, wrapper.metatype))
      .filter((wrapper) => !!wrapper.instance)
      .map((wrapper) => ({ name: String(wrapper.name), instance: wrapper.instance as T }));
  }
}
