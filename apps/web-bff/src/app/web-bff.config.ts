import type { GatewayConfigInput } from '@gateway/kernel';

/** web-bff's defaults for local runs; every value is overridable by env or CONFIG_FILE. */
export const WEB_BFF_DEFAULTS: GatewayConfigInput = {
  app: 'web-bff',
  http: { port: 3001, managementPort: 9101 },
  upstreams: {
    users: { urls: ['http://127.0.0.1:4001'] },
    catalog: { urls: ['http://127.0.0.1:4002'] },
    orders: { urls: ['http://127.0.0.1:4003'] },
    // Only optional sources (product reviews): an outage degrades pages, it does not make the app unready.
    reviews: { urls: ['http://127.0.0.1:4004'], critical: false },
    // gRPC (h2c; the contract is the repo's proto/, copied beside main.js by the build). Stock on the product page is optional too.
    inventory: { urls: ['http://127.0.0.1:4005'], protocol: 'grpc', grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' }, critical: false },
  },
  auth: {
    mode: 'jwt',
    jwt: {
      jwksUrl: 'http://127.0.0.1:4000/.well-known/jwks.json',
      issuer: 'http://127.0.0.1:4000',
      audience: 'multi-bff',
    },
  },
};
