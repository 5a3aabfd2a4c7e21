import { OperationCatalog } from './operation-catalog';

/** One stored type name (canonical or alias) with its lifecycle windows, in seconds. */
export interface StaleWindow {
  type: string;
  queued_after_s: number;
  running_after_s: number;
}

/** Every catalog type and alias with its windows: what set-based "likely stale" queries join. */
export function staleWindows(catalog: OperationCatalog): StaleWindow[] {
  return catalog.definitions().flatMap((d) =>
    [d.type, ...d.aliases].map((type) => ({
      type,
      queued_after_s: d.policy.stale_queued_after_s,
      running_after_s: d.policy.stale_running_after_s,
    })),
  );
}
