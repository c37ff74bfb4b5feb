import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSync, type Options } from '@grpc/proto-loader';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/** The contract's path under the repo's `proto/` folder (copied next to the built sim). */
export const INVENTORY_PROTO = 'inventory/v1/inventory.proto';
export const INVENTORY_SERVICE = 'inventory.v1.Inventory';

/**
 * Decoded messages use camelCase fields, numbers for 64-bit fields and every
 * field present (proto3 leaves zeros off the wire: `stock: 0` must still
 * read as 0, not as missing).
 */
export const PROTO_LOADER_OPTIONS: Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

/** The `proto/` folder: beside the built sim (an asset of its build), else the repo's, found walking up from here. */
export function protoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, INVENTORY_PROTO))) return candidate;
    if (dirname(dir) === dir) throw new Error(`upstream-sim: ${INVENTORY_PROTO} not found in a proto/ folder above ${from}`);
  }
}

export interface InventoryMessages {
  Availability: { sku: string; stock: number; available: boolean; revision: number; updatedAt: string };
  GetAvailabilityRequest: { sku: string };
  BatchGetAvailabilityRequest: { skus: string[] };
  BatchGetAvailabilityResponse: { items: InventoryMessages['Availability'][] };
  WatchAvailabilityRequest: { skus: string[] };
}

/** The Inventory service as grpc-js serves it, loaded from the `.proto` once. */
export function loadInventoryService(): ServiceDefinition {
  const definition = loadSync(join(protoRoot(), INVENTORY_PROTO), PROTO_LOADER_OPTIONS);
  const service = definition[INVENTORY_SERVICE];
  if (!service || 'format' in service) throw new Error(`upstream-sim: ${INVENTORY_SERVICE} missing from ${INVENTORY_PROTO}`);
  return service as unknown as Record<string, MethodDefinition<unknown, unknown>>;
}
