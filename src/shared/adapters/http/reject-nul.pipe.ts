import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

export const NUL_MESSAGE = 'Text in the request must not contain NUL characters.';
const MAX_DEPTH = 32;

/**
 * PostgreSQL refuses NUL in text, so a `%00` in a slug or a `\u0000` in a JSON field would
 * surface as a 500 from the driver. Refused up front, for every route's params, query and body.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown): unknown {
    if (containsNul(value, 0)) throw new BadRequestException(NUL_MESSAGE);
    return value;
  }
}

function containsNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
}
