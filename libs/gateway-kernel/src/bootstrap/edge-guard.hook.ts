import type { FastifyInstance } from 'fastify';
import { ErrorCode, GatewayError } from '../errors';

/**
 * The first hook of every request: sets `X-Content-Type-Options: nosniff`
 * (no browser guesses a JSON answer into markup), then refuses requests that
 * different parsers read differently (request smuggling, credential
 * confusion) with one 400 and a closed connection:
 * a header that must be single sent twice (Node keeps the first and drops the
 * rest silently), and a Transfer-Encoding other than `chunked`, which Node
 * does not frame as a body and would read the rest as a second request.
 *
 * @example registerEdgeGuard(fastify, 'x-api-key');
 */
export function registerEdgeGuard(fastify: FastifyInstance, credentialHeader: string): void {
  const single = new Set(['host', 'authorization', 'content-length', 'transfer-encoding', 'cookie', credentialHeader.toLowerCase()]);
  // Most names have none of these lengths, so they are skipped without lower-casing.
  const lengths = new Set([...single].map((name) => name.length));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    const raw = request.raw.rawHeaders;
    let seen: string[] | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      if (!lengths.has(raw[i].length)) continue;
      const name = raw[i].toLowerCase();
      if (!single.has(name)) continue;
      if (seen?.includes(name)) return refuse(reply, done, `the ${name} header may be sent only once`);
      (seen ??= []).push(name);
    }
    const te = request.headers['transfer-encoding'];
    if (te !== undefined && te.trim().toLowerCase() !== 'chunked') return refuse(reply, done, 'unsupported Transfer-Encoding');
    done();
  });
}

function refuse(reply: { header(name: string, value: string): unknown }, done: (error?: Error) => void, detail: string): void {
  reply.header('connection', 'close');
  done(new GatewayError(ErrorCode.BadRequest, detail));
}
