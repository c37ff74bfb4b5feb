import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ErrorCode, GatewayError } from '../errors';
import { PASS_THROUGH_BODY } from '../proxy/proxy-route';

/**
 * Body parsing that knows about pass-through routes: their bodies stay
 * unread streams for the proxy; every other route gets Fastify's own JSON
 * parsing (with prototype-poisoning protection) under the body limit.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();

  fastify.addContentTypeParser('application/json', (request, payload, done) => {
    if (passThrough(request)) return done(null, undefined);
    collect(request, payload)
      .then((body) => parseJson(request, body, done))
      .catch((error: Error) => done(error, undefined));
  });
  fastify.addContentTypeParser('*', (request, payload, done) => {
    if (passThrough(request)) return done(null, undefined);
    done(new GatewayError(ErrorCode.UnsupportedMediaType, 'only application/json bodies are accepted'), undefined);
  });
}

function passThrough(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[PASS_THROUGH_BODY] === true;
}

/** Reads a body up to the route's limit; 413 as soon as it is exceeded. */
function collect(request: FastifyRequest, payload: IncomingMessage): Promise<string> {
  const limit = request.routeOptions.bodyLimit ?? 1_048_576;
  const tooLarge = () => new GatewayError(ErrorCode.PayloadTooLarge, `body exceeds ${limit} bytes`);
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limit) {
    payload.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    payload.on('error', reject);
    payload.on('end', () => {
      if (!Number.isNaN(declared) && declared !== size) {
        reject(new GatewayError(ErrorCode.BadRequest, 'request body length does not match Content-Length'));
        return;
      }
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
