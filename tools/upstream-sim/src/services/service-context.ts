import type { FastifyInstance } from 'fastify';
import type { SimInstance } from '../app/sim-instance';

export interface IdentityOptions {
  /** `iss` of minted tokens; default: the identity service's own URL. */
  issuer?: string;
  /** `aud` of minted tokens; default `multi-bff`. */
  audience?: string;
  /** Access token lifetime in seconds; default 900. */
  tokenTtlS?: number;
}

export interface ServiceContext {
  instance: SimInstance;
  identity: IdentityOptions;
}

/** Adds one service's routes to its server. */
export type ServiceRoutes = (app: FastifyInstance, context: ServiceContext) => void | Promise<void>;
