import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** What the contract needs of one HTTP answer (supertest's response carries all of it). */
export interface ObservedAnswer {
  method: string;
  /** Path with or without a query string. */
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, when the answer is JSON. */
  body: unknown;
  text: string | undefined;
}

interface Route {
  template: string;
  pattern: RegExp;
  /** More literal characters first: `/reviews/{id}.md` wins over `/reviews/{id}`. */
  specificity: number;
  operations: Record<string, Json>;
}

const COMPONENTS_ID = 'openapi-components';
const SCHEMA_REF = '#/components/schemas/';
/** OpenAPI annotations that are not JSON Schema keywords (everything else must be known to ajv). */
const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator'];
/** Keywords whose values are data, not schemas. */
const VALUE_KEYWORDS = new Set(['example', 'examples', 'enum', 'const', 'default', 'required']);

/**
 * Checks answers of the JSON API against its OpenAPI document: the route and method are
 * documented (or the answer is the plain 404 of a route that does not exist), the status is
 * documented for that operation, the media type is one it lists, the body validates against its
 * schema — strictly: an object may carry only the properties the document lists — and every
 * required documented header is present with a valid value. Schemas compile lazily, once per
 * operation, status and media type.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    // OpenAPI's `nullable` is understood by ajv itself (and refused without a `type`, as in 3.0.3).
    // Referenced schemas compile once and are shared by every operation (inlineRefs: false); the
    // document itself is swagger-parser's to validate, so ajv does not re-check it (validateSchema).
    this.ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true, inlineRefs: false, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addVocabulary(OPENAPI_ANNOTATIONS);
    const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions: closeObjects(schemas) });
    this.routes = Object.entries((document.paths ?? {}) as Record<string, Json>)
      .map(([template, operations]) => toRoute(template, operations))
      .sort((a, b) => b.specificity - a.specificity);
  }

  /** Every way the answer departs from the document; empty when it conforms. */
  problemsWith(answer: ObservedAnswer): string[] {
    const pathname = pathOnly(answer.path);
    const method = answer.method.toLowerCase();
    const route = this.routes.find((r) => r.pattern.test(pathname) && r.operations[method]);
    if (!route) {
      // A route that does not exist answers the same 404 as anything hidden; nothing else may.
      if (answer.status === 404) return [];
      return [`${answer.method.toUpperCase()} ${pathname} is not in the OpenAPI document, yet answered ${answer.status}`];
    }
    const operation = route.operations[method];
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const response = responses[String(answer.status)] ?? responses.default;
    if (!response) {
      return [
        `status ${answer.status} is not documented for ${method.toUpperCase()} ${route.template} ` +
          `(documented: ${Object.keys(responses).join(', ')}); body: ${snippet(answer)}`,
      ];
    }
    const key = `${method} ${route.template} ${answer.status}`;
    return [...this.headerProblems(response, answer), ...this.bodyProblems(key, response, answer)];
  }

  private headerProblems(response: Json, answer: ObservedAnswer): string[] {
    const problems: string[] = [];
    for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const raw = answer.headers[name.toLowerCase()];
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (value === undefined) {
        if (header.required) problems.push(`header ${name} is documented as required but missing`);
        continue;
      }
      const validate = this.compile(`header ${name} ${JSON.stringify(header.schema)}`, (header.schema ?? {}) as Json);
      if (!validate(value)) problems.push(`header ${name}: "${value}" ${describe(validate)}`);
    }
    return problems;
  }

  private bodyProblems(key: string, response: Json, answer: ObservedAnswer): string[] {
    const content = (response.content ?? {}) as Record<string, Json>;
    const media = mediaTypeOf(answer.headers['content-type']);
    const empty = (answer.text ?? '') === '';
    if (Object.keys(content).length === 0) {
      return empty ? [] : [`the document describes no body for this answer, but a ${media ?? 'typeless'} body came back`];
    }
    if (!media || !content[media]) {
      return [`media type ${media ?? '(none)'} is not documented for this answer (documented: ${Object.keys(content).join(', ')})`];
    }
    const schema = content[media].schema as Json | undefined;
    if (!schema) return [];
    const validate = this.compile(`${key} ${media}`, schema);
    const value = media === 'application/json' ? answer.body : answer.text;
    return validate(value) ? [] : [`body ${describe(validate)}; body: ${snippet(answer)}`];
  }

  private compile(key: string, schema: Json): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(closeObjects(schema));
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

function toRoute(template: string, operations: Json): Route {
  const parts = template.split(/(\{[^}]+\})/);
  const source = parts.map((part) => (part.startsWith('{') ? '([^/]+)' : escapeRegExp(part))).join('');
  const literal = parts.filter((part) => !part.startsWith('{')).join('').length;
  return { template, pattern: new RegExp(`^${source}$`), specificity: literal, operations: operations as Record<string, Json> };
}

/**
 * The document's schemas as the contract reads them: references point into the registered
 * components, and an object schema that lists its properties admits no others — a field the API
 * sends but the document does not name is drift (clients generated from it would never see it).
 */
function closeObjects(node: unknown): Json {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== 'object') return value;
    const schema = Object.fromEntries(
      Object.entries(value as Json).map(([k, v]) => [k, VALUE_KEYWORDS.has(k) ? v : k === 'properties' ? mapValues(v as Json, visit) : visit(v)]),
    );
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith(SCHEMA_REF)) {
      schema.$ref = `${COMPONENTS_ID}#/definitions/${schema.$ref.slice(SCHEMA_REF.length)}`;
    }
    if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
    return schema;
  };
  return visit(node) as Json;
}

function mapValues(record: Json, fn: (value: unknown) => unknown): Json {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function pathOnly(path: string): string {
  const withoutOrigin = /^https?:\/\//.test(path) ? new URL(path).pathname : path;
  return withoutOrigin.split('?')[0];
}

function mediaTypeOf(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? value.split(';')[0].trim().toLowerCase() : null;
}

function describe(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : ''}`)
    .join('; ');
}

function snippet(answer: ObservedAnswer): string {
  const text = answer.text ?? JSON.stringify(answer.body);
  return (text ?? '').slice(0, 300);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
