import {
  Metadata,
  type sendUnaryData,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type ServerWritableStream,
  status as GrpcStatus,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { SimInstance } from '../app/sim-instance';
import type { RecordedRequest, RequestStats } from '../stats/request-stats';
import { GARBAGE, type GrpcCallFaults } from './grpc-call-faults';
import { INVENTORY_SERVICE, type InventoryMessages } from './inventory-proto';
import type { Availability, StockLedger } from './stock-ledger';

/** At most this many skus per batch or watch, as the catalog's batch. */
export const MAX_SKUS = 100;
const SKU_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface InventoryDeps {
  ledger: StockLedger;
  faults: GrpcCallFaults;
  stats: RequestStats;
  instance: SimInstance;
}

type M = InventoryMessages;
type AnyCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/**
 * The Inventory service's handlers. Every call is counted first (with its
 * metadata and the deadline it came with), then meets the faults, then is
 * answered from the ledger; each answer carries `x-sim-instance` in its
 * initial metadata, as the HTTP sims' responses do in a header.
 */
export function inventoryHandlers({ ledger, faults, stats, instance }: InventoryDeps): UntypedServiceImplementation {
  const path = (method: string) => `/${INVENTORY_SERVICE}/${method}`;
  const arrive = (route: string, call: AnyCall) => {
    stats.record('POST', route, route, metadataAsHeaders(call.metadata), deadlineOf(call));
    const metadata = new Metadata();
    metadata.set('x-sim-instance', instance.label);
    call.sendMetadata(metadata);
  };

  const getPath = path('GetAvailability');
  const batchPath = path('BatchGetAvailability');
  const watchPath = path('WatchAvailability');

  return {
    GetAvailability(call: ServerUnaryCall<M['GetAvailabilityRequest'], Availability>, callback: sendUnaryData<Availability>) {
      arrive(getPath, call);
      faults.apply(getPath, call, (garbage) => {
        if (garbage) return callback(null, GARBAGE as never);
        const { sku } = call.request;
        if (!SKU_PATTERN.test(sku)) return callback(invalid('sku must be 1 to 64 letters, digits, "-" or "_"'));
        const availability = ledger.get(sku);
        callback(availability ? null : error(GrpcStatus.NOT_FOUND, `sku ${sku} not found`), availability);
      }, callback);
    },

    BatchGetAvailability(call: ServerUnaryCall<M['BatchGetAvailabilityRequest'], M['BatchGetAvailabilityResponse']>, callback: sendUnaryData<M['BatchGetAvailabilityResponse']>) {
      arrive(batchPath, call);
      faults.apply(batchPath, call, (garbage) => {
        if (garbage) return callback(null, GARBAGE as never);
        const skus = readSkus(call.request.skus);
        if (typeof skus === 'string') return callback(invalid(skus));
        callback(null, { items: skus.map((sku) => ledger.get(sku)).filter((a) => a !== undefined) });
      }, callback);
    },

    WatchAvailability(call: ServerWritableStream<M['WatchAvailabilityRequest'], Availability>) {
      arrive(watchPath, call);
      const fail = (e: ServerErrorResponse) => void call.emit('error', e);
      faults.apply(watchPath, call, (garbage) => {
        if (garbage) {
          call.write(GARBAGE as never);
          return call.end();
        }
        const asked = readSkus(call.request.skus);
        if (typeof asked === 'string') return fail(invalid(asked));
        const current = asked.map((sku) => ledger.get(sku)).filter((a) => a !== undefined);
        if (current.length === 0) return fail(error(GrpcStatus.NOT_FOUND, 'none of the skus is known'));
        for (const availability of current) call.write(availability);
        const known = current.map((a) => a.sku);
        // A watcher that stops reading is not waited for: a sim must not let one stalled client hold the ledger.
        const unwatch = ledger.watch(known, (availability) => void call.write(availability));
        call.once('cancelled', unwatch);
        call.once('close', unwatch);
      }, fail);
    },
  };
}

/** Deduplicated skus in the order asked, or why they are not acceptable. */
function readSkus(skus: readonly string[]): string[] | string {
  const unique = [...new Set(skus)];
  if (unique.length === 0) return 'skus must name at least one sku';
  if (unique.length > MAX_SKUS) return `at most ${MAX_SKUS} skus per call`;
  if (!unique.every((sku) => SKU_PATTERN.test(sku))) return 'each sku must be 1 to 64 letters, digits, "-" or "_"';
  return unique;
}

function error(code: GrpcStatus, details: string): ServerErrorResponse {
  return Object.assign(new Error(details), { code, details });
}

function invalid(details: string): ServerErrorResponse {
  return error(GrpcStatus.INVALID_ARGUMENT, details);
}

/** Metadata as the HTTP sims record headers: text values as sent, binary (`-bin`) ones base64. */
function metadataAsHeaders(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) headers[key] = typeof value === 'string' ? value : value.toString('base64');
  return headers;
}

function deadlineOf(call: AnyCall): RecordedRequest['deadline'] {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return null;
  return { at: new Date(at).toISOString(), remainingMs: Math.max(0, at - Date.now()) };
}
