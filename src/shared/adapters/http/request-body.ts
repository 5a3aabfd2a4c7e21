import type { NextFunction, Request, Response } from 'express';

/**
 * Request bodies are refused, cheaply and before any work, when the app could only read them
 * wrongly or expensively: a JSON route sent anything but JSON (415), a compressed body or a
 * charset other than UTF-8 (415; RFC 8259 makes UTF-8 the JSON encoding, and inflating is work an
 * anonymous caller should not get for free), or JSON nested deeper than MAX_JSON_DEPTH (400: the
 * validation pipe would recurse through it and overflow the stack, blocking the event loop for
 * 100 ms or more per request). Every refusal is an error answer, never a logged 500.
 */
export const MAX_JSON_DEPTH = 16;

/** The http-errors shape body-parser gives its refusals; ErrorFilter maps them by `type`. */
type BodyError = Error & { status: number; type: string };

function bodyError(status: number, type: string, message: string): BodyError {
  return Object.assign(new Error(message), { status, type });
}

/**
 * body-parser's `verify` hook, run on the raw bytes before JSON.parse. A depth scan over UTF-8
 * bytes is safe: structural characters never occur inside a multi-byte sequence.
 */
export function verifyJsonBody(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding !== 'utf-8' && encoding !== 'utf8') {
    throw bodyError(415, 'charset.unsupported', `unsupported charset "${encoding}"`);
  }
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw bodyError(400, 'json.too.deep', `JSON nested deeper than ${MAX_JSON_DEPTH}`);
  }
}

/** True as soon as an object or array opens below `max` levels; malformed JSON is JSON.parse's to report. */
export function jsonNestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: the escaped byte cannot end the string
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** For `/api`: a request that carries a body must say it is JSON, before anything reads it. */
export function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  const length = Number(req.headers['content-length']);
  const hasBody = req.headers['transfer-encoding'] !== undefined || length > 0;
  if (!hasBody || req.is('application/json')) return next();
  next(bodyError(415, 'content-type.unsupported', 'not application/json'));
}

const REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON.' },
  'json.too.deep': {
    status: 400,
    code: 'json_too_deep',
    message: `The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels.`,
  },
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  'content-type.unsupported': {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This route takes a JSON body: send it with Content-Type: application/json.',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupported_content_encoding',
    message: 'Request bodies must not be compressed: send them without a Content-Encoding.',
  },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'Request bodies must be encoded as UTF-8.' },
};

/**
 * The answer to a body the parsers refused (they hand over http-errors with a `type`), or null for
 * anything else. Unknown parser refusals keep their 4xx status with a generic message.
 */
export function describeBodyRefusal(exception: unknown): { status: number; body: { error: { code: string; message: string } } } | null {
  const refusal = exception as { type?: unknown; status?: unknown } | null;
  if (!refusal || typeof refusal.type !== 'string' || typeof refusal.status !== 'number') return null;
  const known = REFUSALS[refusal.type];
  if (known) return { status: known.status, body: { error: { code: known.code, message: known.message } } };
  if (refusal.status < 400 || refusal.status > 499) return null;
  return { status: refusal.status, body: { error: { code: 'bad_request', message: 'The request body could not be read.' } } };
}
