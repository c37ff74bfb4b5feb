import type { VerifyOptions } from 'jsonwebtoken';
import { AuthRequest, PassportAttempt } from './gateway-strategy.interface';

/**
 * passport-jwt ships no type declarations (and @types/passport-jwt is not a
 * dependency), so this file types the slice of it the kernel uses. A `require`
 * keeps every consumer's type-check working without an ambient `.d.ts` that each
 * app's tsconfig would have to include.
 */
export interface PassportJwtOptions {
  jwtFromRequest(request: AuthRequest): string | undefined | null;
  secretOrKeyProvider(request: AuthRequest, rawJwtToken: string, done: (error: unknown, key?: unknown) => void): void;
  issuer?: string | string[];
  audience?: string | string[];
  algorithms?: VerifyOptions['algorithms'];
  jsonWebTokenOptions?: VerifyOptions;
  passReqToCallback?: boolean;
}

/** passport-jwt's `Strategy` instance; `success`/`fail`/`error` exist on each attempt. */
export interface PassportJwtStrategyInstance extends PassportAttempt {
  name: string;
  authenticate(request: AuthRequest, options?: unknown): void;
}

export interface PassportJwtStrategyClass {
  new (options: PassportJwtOptions, verify: (...args: unknown[]) => void): PassportJwtStrategyInstance;
  /** The verify step (jsonwebtoken.verify); replaceable in tests only, as passport-jwt documents. */
  JwtVerifier(token: string, key: unknown, options: VerifyOptions, callback: (error: unknown, payload?: unknown) => void): void;
}

export const PassportJwtStrategy: PassportJwtStrategyClass = require('passport-jwt').Strategy;
