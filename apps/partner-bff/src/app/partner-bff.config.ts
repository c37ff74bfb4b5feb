import type { GatewayConfigInput } from '@gateway/kernel';

/**
 * partner-bff's defaults for local runs; every value is overridable by env or
 * CONFIG_FILE. The demo keys (`demo-gold-key`, `demo-free-key`) are for
 * development only: production sets API_KEYS to its own hashes (and each key's
 * customers).
 */
export const PARTNER_BFF_DEFAULTS: GatewayConfigInput = {
  app: 'partner-bff',
  http: { port: 3003, managementPort: 9103 },
  upstreams: {
    catalog: { urls: ['http://127.0.0.1:4002'] },
    orders: { urls: ['http://127.0.0.1:4003'] },
    // gRPC (h2c); the contract is the repo's proto/, copied beside main.js by the build.
    inventory: { urls: ['http://127.0.0.1:4005'], protocol: 'grpc', grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' } },
  },
  auth: {
    mode: 'api-key',
    apiKeys: [
      { id: 'demo-gold', sha256: 'f47cad35f6f99d49f4a2e8ad6da5b64cf93b99bc9b02abed86bcf8095c575352', tier: 'gold', scopes: ['products:read', 'orders:write'], customers: ['u3', 'u4', 'u5'] },
      { id: 'demo-free', sha256: '9f8cfdb17116bf0e2a44e071454f25594cb9b8737bf331e6a2f0b30550572f29', tier: 'free', scopes: ['products:read'] },
    ],
  },
};
