import fastifyCompress from '@fastify/compress';
import fastifyEtag from '@fastify/etag';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface ConditionalResponseOptions {
  /** ETag on every GET/HEAD 200 with a body in memory, 304 for a matching If-None-Match (default true). */
  etag?: boolean;
  /** Compression for clients that accept it; false turns it off. */
  compression?: false | { encodings?: Array<'br' | 'gzip' | 'deflate'>; thresholdBytes?: number };
}

/**
 * Registers ETag/304 and br/gzip compression on a Fastify instance. Must run
 * before routes are added: @fastify/compress attaches to each route as it is
 * added. ETags are weak (the same entity may travel br, gzip or plain) and
 * computed before compression.
 *
 * @example await registerConditionalResponses(fastify, { compression: { encodings: ['br', 'gzip'] } });
 */
export async function registerConditionalResponses(fastify: FastifyInstance, options: ConditionalResponseOptions = {}): Promise<void> {
  if (options.etag !== false) {
    // @fastify/etag makes the tag; the 304 decision is ours: it would also answer 304 to a POST or a 500.
    await fastify.register(fastifyEtag, { weak: true, replyWith304: false });
    fastify.addHook('onSend', notModified);
  }
  if (options.compression !== false) {
    await fastify.register(fastifyCompress, {
      encodings: options.compression?.encodings ?? ['br', 'gzip'],
      threshold: options.compression?.thresholdBytes ?? 1024,
      // Responses only: inflating request bodies would bypass the body parsers' length checks.
      globalDecompression: false,
    });
  }
}

/** RFC 9110 §13.1.2: a GET/HEAD whose If-None-Match names the current tag (weak comparison) gets 304. */
function notModified(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload?: unknown) => void): void {
  const condition = request.headers['if-none-match'];
  const etag = reply.getHeader('etag');
  if (
    condition === undefined ||
    typeof etag !== 'string' ||
    reply.statusCode !== 200 ||
    (request.method !== 'GET' && request.method !== 'HEAD') ||
    !matches(condition, etag)
  ) {
    done(null, payload);
    return;
  }
  reply.code(304);
  reply.removeHeader('content-length');
  reply.removeHeader('content-type');
  done(null, '');
}

function matches(condition: string, etag: string): boolean {
  if (condition.trim() === '*') return true;
  const opaque = stripWeak(etag);
  return condition.split(',').some((candidate) => stripWeak(candidate.trim()) === opaque);
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
