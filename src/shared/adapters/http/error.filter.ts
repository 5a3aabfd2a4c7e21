import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorKind } from '../../core/domain-error';
import { ViewService } from '../views/view.service';
import { isPageRequest } from './page-request';
import { describeBodyRefusal } from './request-body';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  too_many: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/** One mapping from errors to responses: `{ error: { code, message } }`, never a stack trace. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  /** With views, a person's browser gets an error page (same status, same message, no stack). */
  constructor(private readonly views: ViewService | null = null) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { status, body } = this.describe(exception);
    if (status >= 500 && !(exception instanceof DomainError) && !(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (this.views && request && isPageRequest(request) && status >= 400) {
      const message = (body as { error?: { message?: string } }).error?.message ?? '';
      response.status(status).setHeader('Cache-Control', 'no-store');
      response.type('html').send(this.views.render('errors/error', { title: headingFor(status), ...pageCopy(status, message) }));
      return;
    }
    // Explicit: a route's own Content-Type (e.g. text/plain on /metrics) must not label an error.
    response.status(status).type('application/json').json(body);
  }

  private describe(exception: unknown): { status: number; body: unknown } {
    if (exception instanceof DomainError) {
      const error = { code: exception.code, message: exception.message, ...publicDetails(exception) };
      return { status: STATUS_BY_KIND[exception.kind], body: { error } };
    }
    if (exception instanceof HttpException && isJsonParseFailure(exception)) {
      return { status: 400, body: { error: { code: 'malformed_json', message: 'The request body is not valid JSON.' } } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Health checks already answer with their own per-check body.
      const raw = exception.getResponse() as Record<string, unknown> | string;
      if (typeof raw === 'object' && raw && 'status' in raw && 'details' in raw) return { status, body: raw };
      return { status, body: { error: { code: codeFor(status), message: messageFor(raw, status) } } };
    }
    const refusal = describeBodyRefusal(exception);
    if (refusal) return refusal;
    return {
      status: 500,
      body: { error: { code: 'internal_error', message: 'Something went wrong on our side. The error was logged.' } },
    };
  }
}

/** Details a client may see beside code and message (documented per operation): the run a failed start recorded. */
const PUBLIC_DETAILS = ['run_id'] as const;

function publicDetails(error: DomainError): Record<string, unknown> {
  return Object.fromEntries(PUBLIC_DETAILS.filter((key) => error.details[key] !== undefined).map((key) => [key, error.details[key]]));
}

const HEADINGS: Record<number, string> = {
  400: 'Request not understood',
  401: 'Sign in to continue',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Request format not supported',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

function headingFor(status: number): string {
  return HEADINGS[status] ?? (status >= 500 ? 'Something went wrong' : 'Request not completed');
}

/** 404 says the same for "missing" and "hidden"; 5xx never repeats internal detail. */
function pageCopy(status: number, message: string): { status: number; heading: string; message: string } {
  const heading = headingFor(status);
  if (status === 404) return { status, heading, message: 'This page does not exist, or you do not have access to it.' };
  if (status === 500) return { status, heading, message: 'Something went wrong on our side. The error was logged.' };
  return { status, heading, message: message || heading };
}

function codeFor(status: number): string {
  return ({ 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large', 503: 'unavailable' } as Record<number, string>)[status] ?? 'error';
}

function messageFor(raw: Record<string, unknown> | string, status: number): string {
  if (typeof raw === 'string') return raw;
  const message = raw.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string' && status !== 404) return message;
  return status === 404 ? 'Not found.' : 'The request could not be completed.';
}

/** Nest hands body-parser syntax errors over as a 400 whose text is the parser's own message. */
function isJsonParseFailure(exception: HttpException): boolean {
  if (exception.getStatus() !== 400) return false;
  const cause = (exception as { cause?: unknown }).cause as { type?: string } | undefined;
  if (cause instanceof SyntaxError || cause?.type === 'entity.parse.failed') return true;
  return /is not valid JSON|Unexpected token|in JSON at position|Unexpected end of JSON/.test(exception.message);
}
