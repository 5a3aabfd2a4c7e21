import { ObservedAnswer, OpenApiContract } from '../support/openapi-contract';

/** A small document in the shape finishOpenApiDocument produces. */
const DOCUMENT = {
  openapi: '3.0.0',
  paths: {
    '/api/v1/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'a thing',
            headers: { 'Cache-Control': { required: true, schema: { type: 'string', enum: ['no-store'] } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': {
            description: 'missing',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['error'],
                  properties: {
                    error: {
                      type: 'object',
                      required: ['code', 'message'],
                      properties: { code: { type: 'string', enum: ['not_found'] }, message: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/api/v1/things/{id}.md': {
      get: { responses: { '200': { description: 'markdown', content: { 'text/markdown': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'owner', 'tags'],
        properties: {
          id: { type: 'string', format: 'uuid', example: '6f1c3a52-8d3e-4b8e-9d7e-2f7a1c9b0e11' },
          owner: {
            type: 'object',
            nullable: true,
            required: ['name'],
            properties: { name: { type: 'string' } },
            description: 'Null for system things',
          },
          tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } },
          note: { type: 'string' },
        },
      },
      Tag: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
    },
  },
};

const ID = '6f1c3a52-8d3e-4b8e-9d7e-2f7a1c9b0e11';
const good = { id: ID, owner: { name: 'Ana' }, tags: [{ key: 'a' }] };

function answer(overrides: Partial<ObservedAnswer>): ObservedAnswer {
  return {
    method: 'GET',
    path: `/api/v1/things/${ID}`,
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: good,
    text: JSON.stringify(good),
    ...overrides,
  };
}

describe('OpenApiContract', () => {
  const contract = new OpenApiContract(DOCUMENT);

  it('accepts an answer that matches its operation, status, media type, schema and headers', () => {
    expect(contract.problemsWith(answer({}))).toEqual([]);
    expect(contract.problemsWith(answer({ path: `/api/v1/things/${ID}?verbose=1`, body: { ...good, owner: null } }))).toEqual([]);
  });

  it('refuses a field the document does not name, at any depth', () => {
    expect(contract.problemsWith(answer({ body: { ...good, secret: 'x' } }))).toEqual([
      expect.stringContaining('(root) must NOT have additional properties "secret"'),
    ]);
    expect(contract.problemsWith(answer({ body: { ...good, tags: [{ key: 'a', colour: 'red' }] } }))).toEqual([
      expect.stringContaining('/tags/0 must NOT have additional properties "colour"'),
    ]);
  });

  it('refuses a missing required field, a wrong type and a bad format', () => {
    const { tags: _tags, ...withoutTags } = good;
    expect(contract.problemsWith(answer({ body: withoutTags }))).toEqual([expect.stringContaining("must have required property 'tags'")]);
    expect(contract.problemsWith(answer({ body: { ...good, owner: { name: 7 } } }))).toEqual([expect.stringContaining('/owner/name must be string')]);
    expect(contract.problemsWith(answer({ body: { ...good, id: 'not-a-uuid' } }))).toEqual([expect.stringContaining('/id must match format "uuid"')]);
  });

  it('refuses null where the schema is not nullable', () => {
    expect(contract.problemsWith(answer({ body: { ...good, tags: null } }))).toEqual([expect.stringContaining('/tags must be array')]);
  });

  it('refuses an undocumented status and an error code the operation does not list', () => {
    expect(contract.problemsWith(answer({ status: 500, body: { error: { code: 'internal_error', message: 'x' } } }))).toEqual([
      expect.stringContaining('status 500 is not documented for GET /api/v1/things/{id} (documented: 200, 404)'),
    ]);
    expect(contract.problemsWith(answer({ status: 404, body: { error: { code: 'gone', message: 'x' } } }))).toEqual([
      expect.stringContaining('/error/code must be equal to one of the allowed values'),
    ]);
  });

  it('refuses a missing or wrong documented header and an undocumented media type', () => {
    expect(contract.problemsWith(answer({ headers: { 'content-type': 'application/json' } }))).toEqual([
      'header Cache-Control is documented as required but missing',
    ]);
    expect(contract.problemsWith(answer({ headers: { 'content-type': 'text/html', 'cache-control': 'no-store' } }))).toEqual([
      'media type text/html is not documented for this answer (documented: application/json)',
    ]);
  });

  it('matches the most specific template and validates a text body as text', () => {
    const markdown = { path: `/api/v1/things/${ID}.md`, headers: { 'content-type': 'text/markdown; charset=utf-8' }, body: {}, text: '# Thing' };
    expect(contract.problemsWith(answer(markdown))).toEqual([]);
  });

  it('lets an unknown route answer only the plain 404', () => {
    expect(contract.problemsWith(answer({ path: '/api/v1/nothing', status: 404 }))).toEqual([]);
    expect(contract.problemsWith(answer({ method: 'DELETE', status: 404 }))).toEqual([]);
    expect(contract.problemsWith(answer({ path: '/api/v1/nothing', status: 200 }))).toEqual([
      'GET /api/v1/nothing is not in the OpenAPI document, yet answered 200',
    ]);
  });
});
