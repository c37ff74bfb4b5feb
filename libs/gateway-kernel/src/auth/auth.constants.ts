/** Metadata key set by `@Public()`: the route needs no credentials. */
export const IS_PUBLIC_KEY = 'gateway:auth:public';

/** Metadata key set by `@Scopes(...)`: every listed scope is required. */
export const REQUIRED_SCOPES_KEY = 'gateway:auth:scopes';

/** Metadata key set by `@AuthMode(...)`: overrides the app's `auth.mode` for a route or controller. */
export const AUTH_MODE_KEY = 'gateway:auth:mode';

/** Passport name of the bearer JWT strategy. */
export const JWT_STRATEGY = 'jwt';

/** Passport name of the API key strategy. */
export const API_KEY_STRATEGY = 'api-key';

/** Injection token of the `AuthModuleOptions` given to `AuthModule.forRoot`. */
export const AUTH_MODULE_OPTIONS = Symbol('AUTH_MODULE_OPTIONS');

/** A JWKS fetch (headers and body) that takes longer fails, so a request never waits on a hung identity service. */
export const DEFAULT_JWKS_TIMEOUT_MS = 2_000;

/** Verified tokens kept in memory; at about 1 KB each, 10k is a few MB. */
export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;
