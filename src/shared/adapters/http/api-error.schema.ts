import { ApiResponseOptions } from '@nestjs/swagger';

/** OpenAPI shape of every error answer: `{ error: { code, message } }` (see ErrorFilter). */
export const API_ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', example: 'not_found' }, message: { type: 'string', example: 'Not found.' } },
    },
  },
};

export function apiError(status: number, description: string): ApiResponseOptions & { status: number } {
  return { status, description, schema: API_ERROR_SCHEMA };
}
