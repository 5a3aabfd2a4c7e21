import { OperationTypeDefinition } from './operation-type';
import { OperationErrors } from './operations-errors';

/**
 * Name clashes that would make alias resolution ambiguous: a type or alias declared twice, or an
 * alias equal to another canonical type. Shared by the catalog constructor and the config parser
 * so a bad catalog file reports these alongside its other problems.
 */
export function findCatalogConflicts(definitions: OperationTypeDefinition[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>(); // name (canonical or alias) → canonical type owning it
  for (const def of definitions) {
    if (owners.has(def.type)) problems.push(`${def.type}: type is declared twice`);
    owners.set(def.type, def.type);
  }
  const canonical = new Set(owners.keys());
  for (const def of definitions) {
    for (const alias of def.aliases) {
      if (alias === def.type) {
        problems.push(`${def.type}: alias "${alias}" repeats the type itself`);
      } else if (canonical.has(alias)) {
        problems.push(`${def.type}: alias "${alias}" is already a canonical type`);
      } else if (owners.has(alias)) {
        problems.push(`${def.type}: alias "${alias}" is already declared by ${owners.get(alias)}`);
      } else {
        owners.set(alias, def.type);
      }
    }
  }
  return problems;
}

/** The one registry of operation types: readers resolve legacy aliases, writers use `type`. */
export class OperationCatalog {
  private readonly byName = new Map<string, OperationTypeDefinition>();
  private readonly canonical: OperationTypeDefinition[];

  constructor(definitions: OperationTypeDefinition[]) {
    const problems = findCatalogConflicts(definitions);
    if (problems.length > 0) {
      throw OperationErrors.invalidCatalog(problems);
    }
    // Plain code-unit order, not localeCompare: messages must not depend on the host locale.
    this.canonical = [...definitions].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    for (const def of this.canonical) {
      this.byName.set(def.type, def);
      for (const alias of def.aliases) this.byName.set(alias, def);
    }
  }

  resolve(typeOrAlias: string): OperationTypeDefinition | null {
    return this.byName.get(typeOrAlias) ?? null;
  }

  require(typeOrAlias: string): OperationTypeDefinition {
    const def = this.resolve(typeOrAlias);
    if (def) return def;
    throw OperationErrors.unknownType(typeOrAlias, this.types());
  }

  /** Canonical definitions, sorted by type. */
  definitions(): OperationTypeDefinition[] {
    return [...this.canonical];
  }

  /** Canonical type names, sorted; aliases are never listed. */
  types(): string[] {
    return this.canonical.map((d) => d.type);
  }

  /** Every name a stored run of this type may carry (canonical first, then its legacy aliases). */
  storedNames(typeOrAlias: string): string[] {
    const def = this.require(typeOrAlias);
    return [def.type, ...def.aliases];
  }

  /** Every stored name (canonical or alias) → its canonical type: for readers that group in SQL. */
  canonicalByStoredName(): Record<string, string> {
    return Object.fromEntries([...this.byName].map(([name, def]) => [name, def.type]));
  }
}
