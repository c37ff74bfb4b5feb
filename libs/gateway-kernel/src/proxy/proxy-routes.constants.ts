/** Injection token of the pass-through routes given to `ProxyModule.forRoot` (the docs describe them too). */
export const PROXY_ROUTES = Symbol('PROXY_ROUTES');
