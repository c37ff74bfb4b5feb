/**
 * Strings that only ever appear in injected upstream errors. A gateway test
 * can assert that none of them reaches its client.
 */
export const LEAK_MARKERS = ['db-primary.internal', '/srv/upstream/node_modules', '10.0.3.17'] as const;

/** Body of an injected error: internal details a gateway must not pass on. */
export function internalErrorBody(service: string): string {
  return JSON.stringify({
    error: 'boom',
    detail: 'db-primary.internal:5432 timeout after 3000ms',
    stack: [
      'Error: connect ETIMEDOUT 10.0.3.17:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
      `    at Pool.query (/srv/upstream/node_modules/pg-pool/index.js:45:11) [${service}]`,
    ].join('\n'),
  });
}

/** Looks like JSON to a content-type check; fails `JSON.parse`. */
export const GARBAGE_BODY = '{"items": [oops';

/** A response cut off inside the header block. */
export const PARTIAL_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Len';
