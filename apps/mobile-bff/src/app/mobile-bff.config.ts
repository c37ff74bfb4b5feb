import type { GatewayConfigInput } from '@gateway/kernel';

/** mobile-bff's defaults for local runs; every value is overridable by env or CONFIG_FILE. */
export const MOBILE_BFF_DEFAULTS: GatewayConfigInput = {
  app: 'mobile-bff',
  http: { port: 3002, managementPort: 9102 },
  upstreams: {
    users: { urls: ['http://127.0.0.1:4001'] },
    catalog: { urls: ['http://127.0.0.1:4002'] },
    orders: { urls: ['http://127.0.0.1:4003'] },
    // gRPC (h2c; the contract is the repo's proto/, copied beside main.js by the build). Featured items' stock is optional: an outage leaves inStock unknown.
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
