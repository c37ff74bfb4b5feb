import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Printable, bounded, no separators that could split a log line or a header.
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Takes the client's `x-request-id` when well-formed, else makes one. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}
