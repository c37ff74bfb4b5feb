import { HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, ErrorCode, GatewayError, type ErrorCodeName } from './gateway-error';
import { sendProblem } from './problem-details';

/** Fastify's own error codes that carry a client mistake. */
const FASTIFY_CODES: Record<string, ErrorCodeName> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.BadRequest,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.BadRequest,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.BadRequest,
};

/**
 * Renders every error as problem+json, for both adapters (the Nest filter and
 * the error handler of routes registered on Fastify directly). Only the error
 * table's titles and details written for clients go out; causes, stacks and
 * upstream bodies are logged, never sent.
 *
 * @example fastify.route({ ..., errorHandler: (error, request, reply) => responder.send(error, request, reply) });
 */
export class ProblemResponder {
  private readonly logger = new Logger('Errors');

  constructor(private readonly problemTypeBase: string) {}

  send(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    const { error, extra } = this.classify(exception);
    if (error.status >= 500) {
      this.logger.warn({ err: exception, code: error.code, requestId: request.id }, error.detail);
    }
    sendProblem(
      reply,
      request,
      {
        type: `${this.problemTypeBase}${error.code}`,
        title: error.title,
        status: error.status,
        detail: error.detail,
        ...extra,
      },
      error.headers,
    );
  }

  private classify(exception: unknown): { error: GatewayError; extra?: { errors: string[] } } {
    if (exception instanceof GatewayError) {
      return { error: exception, extra: exception.errors ? { errors: exception.errors } : undefined };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status);
      const headers: Record<string, string> = {};
      const retryAfter = (exception as HttpException & { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      // Framework messages echo the request ("Cannot GET /<path>"): only the table's words go out.
      const detail = status === 404 ? 'no such route' : undefined;
      return { error: new GatewayError(code, detail, { headers, cause: exception }) };
    }
    const fastifyCode = (exception as { code?: string }).code;
    if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
      return { error: new GatewayError(FASTIFY_CODES[fastifyCode], (exception as Error).message, { cause: exception }) };
    }
    const status = (exception as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = codeForStatus(status);
      return { error: new GatewayError(code, undefined, { cause: exception }) };
    }
    return { error: new GatewayError(ErrorCode.Internal, undefined, { cause: exception }) };
  }
}
