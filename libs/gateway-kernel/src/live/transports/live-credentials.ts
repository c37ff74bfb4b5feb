import { ErrorCode, GatewayError } from '../../errors';

/** The subprotocol a WebSocket client offers beside its token; the server selects it, never the token. */
export const LIVE_PROTOCOL = 'live.v1';
/** `Sec-WebSocket-Protocol: live.v1, bearer.<jwt>`: a browser's WebSocket can set no Authorization header. */
export const PROTOCOL_TOKEN_PREFIX = 'bearer.';

interface CredentialRequest {
  headers: Record<string, string | string[] | undefined>;
  query: unknown;
}

/**
 * The bearer credential of a live connection as one `Authorization` value,
 * for the authenticator to check like any other: the header itself, or (for
 * a WebSocket, `alternatives`) `?access_token=` or a `bearer.<jwt>`
 * subprotocol. Two forms at once are refused (400): which one counts would be a guess.
 *
 * @example liveAuthorization({ headers: {}, query: { access_token: 'eyJ…' } }, true) // 'Bearer eyJ…'
 */
export function liveAuthorization(request: CredentialRequest, alternatives: boolean): string | undefined {
  const found: string[] = [];
  const header = request.headers.authorization;
  if (typeof header === 'string') found.push(header);
  if (alternatives) {
    const query = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (Array.isArray(query)) throw twice();
    if (typeof query === 'string') found.push(`Bearer ${query}`);
    const offered = request.headers['sec-websocket-protocol'];
    if (typeof offered === 'string') {
      for (const protocol of offered.split(',')) {
        const name = protocol.trim();
        if (name.startsWith(PROTOCOL_TOKEN_PREFIX)) found.push(`Bearer ${name.slice(PROTOCOL_TOKEN_PREFIX.length)}`);
      }
    }
  }
  if (found.length > 1) throw twice();
  return found[0];
}

function twice(): GatewayError {
  return new GatewayError(ErrorCode.BadRequest, 'send the token once: in Authorization, access_token or Sec-WebSocket-Protocol');
}
