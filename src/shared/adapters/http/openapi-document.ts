import type { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, unknown>;

const SCHEMA_REF = '#/components/schemas/';

/** The header every /api/v1 answer carries (securityHeaders): per-user tenant data is never stored by a cache. */
export const API_CACHE_CONTROL = 'no-store';

/**
 * Turns the document @nestjs/swagger generates into the one clients get:
 * - only `/api/v1` paths (pages, probes and metrics are not the API);
 * - nullable objects that validate `null`: for `nullable: true` beside `allOf: [$ref]` OpenAPI 3.0
 *   adds null only to the sibling `type`, and the referenced object schema still refuses it, so the
 *   referenced schema is inlined with `nullable: true` (3.0 has no nullable reference);
 * - the `Cache-Control: no-store` header documented on every response;
 * - component schemas no path reaches (request DTOs of pages, schemas only inlined) removed.
 */
export function finishOpenApiDocument(full: OpenAPIObject, pathPrefix: string): OpenAPIObject {
  const document = structuredClone(full) as OpenAPIObject;
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith(pathPrefix)));
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  inlineNullableRefs(document, schemas);
  documentCacheControl(document);
  pruneUnreachableSchemas(document);
  return document;
}

function inlineNullableRefs(document: OpenAPIObject, schemas: Record<string, Json>): void {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const record = node as Json;
    const ref = singleAllOfRef(record);
    if (record.nullable === true && ref) {
      const target = schemas[ref.slice(SCHEMA_REF.length)];
      if (!target) throw new Error(`OpenAPI: nullable reference to a missing schema ${ref}`);
      const { allOf: _allOf, ...rest } = record;
      return visit({ ...structuredClone(target), ...rest, nullable: true });
    }
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, visit(value)]));
  };
  document.paths = visit(document.paths) as OpenAPIObject['paths'];
  if (document.components?.schemas) document.components.schemas = visit(document.components.schemas) as Record<string, Json>;
}

function singleAllOfRef(schema: Json): string | null {
  const allOf = schema.allOf;
  if (!Array.isArray(allOf) || allOf.length !== 1) return null;
  const ref = (allOf[0] as Json | undefined)?.$ref;
  return typeof ref === 'string' && ref.startsWith(SCHEMA_REF) ? ref : null;
}

function documentCacheControl(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Json)) {
      const responses = (operation as { responses?: Record<string, Json> } | undefined)?.responses;
      if (!responses) continue;
      for (const response of Object.values(responses)) {
        response.headers = {
          'Cache-Control': {
            description: 'Answers carry per-user tenant data: never stored by a cache',
            required: true,
            schema: { type: 'string', enum: [API_CACHE_CONTROL] },
          },
          ...(response.headers as Json | undefined),
        };
      }
    }
  }
}

/** Keeps the schemas the paths reach (transitively); everything else is noise for a client generator. */
function pruneUnreachableSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const reached = new Set<string>();
  const pending: unknown[] = [document.paths];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)) {
          const name = value.slice(SCHEMA_REF.length);
          if (!reached.has(name)) {
            reached.add(name);
            pending.push(schemas[name]);
          }
        } else pending.push(value);
      }
    }
  }
  document.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
}
