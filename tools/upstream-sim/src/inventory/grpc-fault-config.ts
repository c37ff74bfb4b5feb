import { status as GrpcStatus } from '@grpc/grpc-js';
import { type FaultConfig, FaultConfigError, parseFaultConfig } from '../faults/fault-config';

/** Status of an injected gRPC error when none is given: INTERNAL, as 500 is for the HTTP sims. */
export const DEFAULT_GRPC_FAULT_STATUS = GrpcStatus.INTERNAL;

/** Modes that act on connections, not calls: a method path cannot narrow them. */
export const CONNECTION_MODES: ReadonlySet<FaultConfig['mode']> = new Set(['down', 'reset']);

/**
 * The gRPC sim's faults: the same fields as every sim, but `status` is a gRPC
 * status code (1..16, or its name such as `"UNAVAILABLE"`, stored as the
 * number) and `routes` are method-path prefixes (`/inventory.v1.Inventory/Get`).
 *
 * @example parseGrpcFaultConfig({ status: 'UNAVAILABLE', errorRate: 1 }).status // 14
 */
export function parseGrpcFaultConfig(input: unknown): FaultConfig {
  const { status, ...rest } = parseFaultConfig(withoutStatus(input));
  void status;
  const config = { ...rest, status: readGrpcStatus((input as Record<string, unknown>)['status']) };
  if (CONNECTION_MODES.has(config.mode) && config.routes.length > 0) {
    throw new FaultConfigError(`mode "${config.mode}" acts on connections, so routes cannot narrow it`);
  }
  return config;
}

function withoutStatus(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { status, ...rest } = input as Record<string, unknown>;
  void status;
  return rest;
}

function readGrpcStatus(raw: unknown): number {
  if (raw === undefined) return DEFAULT_GRPC_FAULT_STATUS;
  const code = typeof raw === 'string' ? (GrpcStatus as unknown as Record<string, number>)[raw] : raw;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 1 || code > 16) {
    throw new FaultConfigError('status must be a gRPC status code from 1 to 16, or its name (e.g. "UNAVAILABLE")');
  }
  return code;
}
