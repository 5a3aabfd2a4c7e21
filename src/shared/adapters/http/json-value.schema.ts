import type { SchemaObject } from '@nestjs/swagger';

/**
 * "Any JSON value, null included" in OpenAPI 3.0 terms (for `@ApiProperty({ ...ANY_JSON_VALUE })`):
 * 3.0 has no null type and `nullable` needs a `type` beside it, so null rides on the object branch.
 */
export const ANY_JSON_VALUE: Pick<SchemaObject, 'oneOf'> = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: {} },
    { type: 'object', nullable: true, additionalProperties: true },
  ],
};
