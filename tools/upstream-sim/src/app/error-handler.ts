import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The sim's own errors are plain JSON `{ error, message }`. Injected faults do
 * not pass through here: they answer from the request hook.
 */
export function simErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error(error);
    return reply.code(500).send({ error: 'internal_error', message: 'unexpected error in upstream-sim' });
  }
  return reply.code(status).send({ error: status === 400 ? 'invalid_request' : (error.code ?? 'request_error'), message: error.message });
}

export function simNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
}
