import { AuthRequest } from './gateway-strategy.interface';

/** Longer is not a token our identity service issues; refusing it early bounds parse and hash work. */
const MAX_TOKEN_LENGTH = 8_192;
const SCHEME = 'bearer ';

/** Whether the request uses the Bearer scheme at all (RFC 6750: another scheme is "no credentials"). */
export function hasBearerScheme(request: AuthRequest): boolean {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.length > SCHEME.length && header.slice(0, SCHEME.length).toLowerCase() === SCHEME;
}

/** The token of `Authorization: Bearer <token>`, or undefined when absent, empty or oversized. */
export function bearerToken(request: AuthRequest): string | undefined {
  if (!hasBearerScheme(request)) return undefined;
  const token = (request.headers.authorization as string).slice(SCHEME.length).trim();
  return token === '' || token.length > MAX_TOKEN_LENGTH ? undefined : token;
}
