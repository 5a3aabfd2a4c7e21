import type { ApiResponseOptions, HeaderObject, SchemaObject } from '@nestjs/swagger';

/**
 * OpenAPI shape of an error answer: `{ error: { code, message } }` (see ErrorFilter), with the
 * codes this operation can answer at this status as an enum, so a client can switch on them and
 * the contract check in the e2e tier fails when a route starts answering a code nobody listed.
 */
export function apiErrorSchema(codes: readonly string[], extra: Record<string, SchemaObject> = {}): SchemaObject {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', ...Object.keys(extra)],
        properties: {
          code: { type: 'string', enum: [...codes], example: codes[0] },
          message: { type: 'string', description: 'Operator-safe; may quote the offending input' },
          ...extra,
        },
      },
    },
  };
}

export function apiError(
  status: number,
  description: string,
  codes: readonly string[],
  options: { extra?: Record<string, SchemaObject>; headers?: Record<string, HeaderObject> } = {},
): ApiResponseOptions & { status: number } {
  const listed = `${description}. Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`;
  return { status, description: listed, schema: apiErrorSchema(codes, options.extra), headers: options.headers };
}

/** Every /api/v1 route sits behind the token guard. */
export const API_UNAUTHENTICATED = apiError(401, 'Missing, unknown, revoked or expired API token', ['unauthenticated'], {
  headers: { 'WWW-Authenticate': { description: 'Bearer realm="opsdeck-api"', required: true, schema: { type: 'string' } } },
});

/**
 * What any route with path parameters can answer before its own rules run: a NUL character in a
 * segment (PostgreSQL cannot store it) is refused up front.
 */
export const PATH_CODES = ['bad_request'] as const;
/** A JSON body that does not parse, nests too deep, or fails the request DTO (wrong type, unknown field, NUL). */
export const BODY_CODES = ['bad_request', 'malformed_json', 'json_too_deep'] as const;
/** A query that fails its DTO: unknown parameter, repeated parameter or bad value. */
export const QUERY_CODES = ['bad_request'] as const;

export const API_PAYLOAD_TOO_LARGE = apiError(413, 'The JSON body exceeds 100 kB', ['payload_too_large']);
/** Bodies are JSON in UTF-8, uncompressed (request-body.ts). */
export const API_UNSUPPORTED_BODY = apiError(415, 'A body that is not JSON, is compressed, or is not UTF-8', [
  'unsupported_media_type',
  'unsupported_content_encoding',
  'unsupported_charset',
]);
