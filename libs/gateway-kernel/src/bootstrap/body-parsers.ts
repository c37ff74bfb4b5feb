import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ErrorCode, GatewayError } from '../errors';
import { PASS_THROUGH_BODY } from '../proxy/proxy-route';

/**
 * Body parsing that knows about pass-through routes: their bodies stay
 * unread streams for the proxy; every other route gets Fastify's own JSON
 * parsing (with prototype-poisoning protection) under the body limit.
 */
export function registerBodyParsers(fastify: FastifyInstance, maxJsonDepth = 32): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();

  fastify.addContentTypeParser('application/json', (request, payload, done) => {
    if (passThrough(request)) return done(null, undefined);
    collect(request, payload)
      .then((body) => {
        // Deep nesting exhausts the stack of every recursive walker after the parser (validation, transformation).
        if (nestedDeeperThan(body, maxJsonDepth)) done(new GatewayError(ErrorCode.BadRequest, `JSON nested deeper than ${maxJsonDepth} levels`), undefined);
        else parseJson(request, body, done);
      })
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

/** Whether JSON text nests objects and arrays deeper than `max`, by one scan that skips strings. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
