import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv from 'ajv';
import { finishOpenApiDocument } from './openapi-document';

/** What @nestjs/swagger generates for `@ApiProperty({ type: Ref, nullable: true })`, and its neighbours. */
function generated(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/v1/runs': {
        get: {
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Run' } } } } },
        },
      },
      '/login': {
        post: {
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/LoginRequest' } } } },
          responses: { '200': { description: 'page' } },
        },
      },
    },
    components: {
      schemas: {
        Run: {
          type: 'object',
          required: ['initiator', 'scope'],
          properties: {
            initiator: { nullable: true, description: 'Null for system runs', type: 'object', allOf: [{ $ref: '#/components/schemas/Initiator' }] },
            scope: { description: 'Where', allOf: [{ $ref: '#/components/schemas/Scope' }] },
          },
        },
        Initiator: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        Scope: { type: 'object', required: ['slug'], properties: { slug: { type: 'string' } } },
        LoginRequest: { type: 'object', properties: { email: { type: 'string' } } },
      },
    },
  };
}

describe('finishOpenApiDocument', () => {
  const validatorOf = (document: OpenAPIObject) => {
    const ajv = new Ajv({ strict: false });
    ajv.addSchema({ $id: 'doc', definitions: document.components!.schemas });
    const schema = JSON.parse(JSON.stringify(document.components!.schemas!.Run).replaceAll('#/components/schemas/', 'doc#/definitions/'));
    return ajv.compile(schema);
  };
  const systemRun = { initiator: null, scope: { slug: 'hq' } };

  it('makes a nullable object property admit null, which nullable beside allOf [$ref] does not in OpenAPI 3.0', () => {
    expect(validatorOf(generated())(systemRun)).toBe(false);
    const finished = finishOpenApiDocument(generated(), '/api/v1');
    expect(finished.components!.schemas!.Run).toMatchObject({
      properties: {
        initiator: { type: 'object', nullable: true, description: 'Null for system runs', required: ['id'], properties: { id: { type: 'string' } } },
        scope: { allOf: [{ $ref: '#/components/schemas/Scope' }] },
      },
    });
    const validate = validatorOf(finished);
    expect(validate(systemRun)).toBe(true);
    expect(validate({ initiator: { id: 'u1' }, scope: { slug: 'hq' } })).toBe(true);
    expect(validate({ initiator: { name: 'no id' }, scope: { slug: 'hq' } })).toBe(false);
  });

  it('keeps only API paths and the schemas they reach', () => {
    const finished = finishOpenApiDocument(generated(), '/api/v1');
    expect(Object.keys(finished.paths)).toEqual(['/api/v1/runs']);
    expect(Object.keys(finished.components!.schemas!).sort()).toEqual(['Run', 'Scope']);
  });

  it('documents Cache-Control: no-store on every response', () => {
    const finished = finishOpenApiDocument(generated(), '/api/v1');
    const ok = finished.paths['/api/v1/runs'].get!.responses!['200'] as { headers?: unknown };
    expect(ok.headers).toEqual({
      'Cache-Control': expect.objectContaining({ required: true, schema: { type: 'string', enum: ['no-store'] } }),
    });
  });

  it('leaves the generated document untouched', () => {
    const input = generated();
    finishOpenApiDocument(input, '/api/v1');
    expect(input).toEqual(generated());
  });
});
