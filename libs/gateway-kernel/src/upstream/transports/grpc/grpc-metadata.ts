import { Metadata } from '@grpc/grpc-js';
import type { UpstreamRequest } from '../../../pipeline/upstream-call';

/**
 * Headers the pipeline's stages set that mean nothing to a gRPC server, or
 * that gRPC owns itself (content-type, te, user-agent, grpc-*): never sent
 * as metadata.
 */
const NOT_METADATA = new Set(['accept', 'content-type', 'content-length', 'te', 'host', 'connection', 'user-agent', 'transfer-encoding', 'keep-alive']);

/**
 * A call's metadata from its request headers: what the context stage set
 * (request id, traceparent, the verified caller) and whatever a caller
 * added; array values are sent once each. Throws on a value metadata cannot
 * carry (the transport reports it as a local failure).
 *
 * @example const metadata = metadataOf(request.headers);
 */
export function metadataOf(headers: UpstreamRequest['headers']): Metadata {
  const metadata = new Metadata();
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || NOT_METADATA.has(name) || name.startsWith('grpc-') || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) metadata.add(name, item);
    else metadata.set(name, value);
  }
  return metadata;
}

/**
 * Response metadata as headers (text values only): a stream's first answer
 * carries them as an HTTP response carries its headers.
 *
 * @example headersOf(metadata)['x-sim-instance']
 */
export function headersOf(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  const map = metadata.getMap();
  for (const name in map) {
    const value = map[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}
