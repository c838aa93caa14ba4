import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isContractRoute } from './contract-route.js';
import { isOAuthRoute, oauthErrorBody } from './oauth-route.js';
import { AppError, InvalidJsonBody, PayloadTooLarge, RouteNotFound } from './errors.js';

interface ErrorBody {
  error: string;
  code: string;
  message?: string;
}

const FASTIFY_BODY_ERRORS: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new InvalidJsonBody(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new InvalidJsonBody(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new InvalidJsonBody(),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new PayloadTooLarge(),
};

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** The body stream of a request whose client went away (or was cut by the request timeout). */
function isClientAbort(exception: unknown, request: FastifyRequest): boolean {
  return (exception as { code?: unknown } | null)?.code === 'ECONNRESET' || request.raw.socket?.destroyed === true;
}

/** The one place where errors become responses: `{ error, code }`, never a stack or an SDK message. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (isClientAbort(exception, request)) {
      // Any client can cause this at will: one info line, no stack, nobody to answer.
      request.log.info({ code: (exception as { code?: string }).code }, 'client closed the connection before the request arrived');
      return;
    }
    const [status, body] = this.describe(exception);
    // Through the request's logger, so the line carries the request id the response header shows.
    if (status >= 500) request.log.error({ err: exception }, 'request failed');
    // The old clients read `message`; the earlier revision's read `error`; OAuth clients RFC 6749's fields.
    const answer = isOAuthRoute(request)
      ? oauthErrorBody(status, body.code, body.error)
      : isContractRoute(request)
        ? { message: body.error, ...body }
        : body;
    const headers = exception instanceof AppError ? exception.headers : undefined;
    if (headers) http.getResponse<FastifyReply>().headers(headers);
    this.adapterHost.httpAdapter.reply(http.getResponse(), answer, status);
  }

  private describe(exception: unknown): [number, ErrorBody] {
    const known = this.asAppError(exception);
    if (known) return [known.status, { error: known.message, code: known.code }];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) return [status, { error: this.httpMessage(exception), code: STATUS_CODES[status] ?? 'bad_request' }];
      if (status === 503) return [status, { error: 'Service unavailable', code: 'unavailable' }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { error: 'Internal server error', code: 'internal' }];
  }

  private asAppError(exception: unknown): AppError | undefined {
    if (exception instanceof AppError) return exception;
    if (exception instanceof HttpException && exception.getStatus() === 404) return new RouteNotFound();
    const code = (exception as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code in FASTIFY_BODY_ERRORS) return FASTIFY_BODY_ERRORS[code]();
    const cause = exception instanceof HttpException ? exception.cause : undefined;
    return cause ? this.asAppError(cause) : undefined;
  }

  private httpMessage(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}
