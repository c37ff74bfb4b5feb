import type { Principal } from '../context';
import { AuthModeName } from './auth-module-options.interface';

/** The slice of a request (Fastify's, under Nest) that authentication reads and writes. */
export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The callbacks passport gives a strategy for one attempt. Passport puts them on
 * a per-request `Object.create(strategy)`, so they are declared here, not built.
 */
export interface PassportAttempt {
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(error: unknown): void;
  pass(): void;
  redirect(url: string, status?: number): void;
}

/** A passport strategy as the auth guard drives it. */
export interface PassportStrategyLike {
  authenticate(this: PassportStrategyLike & PassportAttempt, request: AuthRequest, options?: unknown): void;
}

/** One credential kind the gateway accepts: a passport strategy plus how it talks to clients. */
export interface GatewayStrategy extends PassportStrategyLike {
  readonly mode: AuthModeName;
  /** Whether the request carries this kind of credential at all (decides "missing" vs "invalid"). */
  hasCredentials(request: AuthRequest): boolean;
  /**
   * The caller, when the credential can be vouched for without waiting for
   * anything (a token verified before, a key checked against the table in
   * memory); `undefined` sends the request through the full attempt, which
   * also decides every failure.
   */
  known?(request: AuthRequest): Principal | undefined;
  /** `WWW-Authenticate` value: the bare challenge, or one that says the credential was rejected. */
  challenge(rejected: boolean): string;
  /** A client-safe reason for a failed attempt; never includes the credential. */
  failureDetail(info: unknown): string;
}
