import { DomainError, DomainErrorKind } from '../../src/shared/core/domain-error';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorCatalog = Record<string, (...args: any[]) => DomainError>;

/**
 * The checks every module's error catalog (`core/<module>-errors.ts`) passes: each entry builds a
 * DomainError, each code has one kind (the one `kinds` names, so a code never answers two HTTP
 * statuses), and no two entries build the same error (a duplicate would drift apart later).
 * `args` gives sample arguments for entries that take some.
 */
export function expectErrorCatalog<C extends ErrorCatalog>(
  catalog: C,
  kinds: Record<string, DomainErrorKind>,
  args: { [K in keyof C]?: Parameters<C[K]> } = {},
): void {
  const built = Object.entries(catalog).map(([name, make]) => ({ name, error: make(...((args[name] as unknown[]) ?? [])) }));
  for (const { name, error } of built) {
    expect({ name, isDomainError: error instanceof DomainError }).toEqual({ name, isDomainError: true });
    expect({ name, code: error.code, kind: error.kind }).toEqual({ name, code: error.code, kind: kinds[error.code] });
  }
  const keys = built.map(({ error }) => `${error.code}\n${error.message}`);
  expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  // Every listed code is used: the table of kinds says what the catalog holds, no more.
  expect(Object.keys(kinds).sort()).toEqual([...new Set(built.map(({ error }) => error.code))].sort());
}
