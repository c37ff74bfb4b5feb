export { ProxyModule } from './proxy.module';
export type { ProxyRoute } from './proxy-route';
export { PASS_THROUGH_BODY } from './proxy-route';
export { PROXY_ROUTES } from './proxy-routes.constants';
export { registerProxyRoute, proxyRouteDeclaration } from './register-proxy-route';
export { safeUpstreamPath } from './safe-path';
export { hopByHopFilter } from './hop-by-hop';
