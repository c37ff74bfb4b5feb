import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadSync, type MethodDefinition, type Options } from '@grpc/proto-loader';
import type { GrpcUpstreamConfig, UpstreamConfig } from '../../../config';

/**
 * Decoded messages as a BFF reads them: camelCase fields, numbers for 64-bit
 * integers, enums by name, and every field present (proto3 leaves zeros off
 * the wire, and `stock: 0` must read as 0, not as missing).
 */
const LOADER_OPTIONS: Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

/**
 * One method of a gRPC upstream's service, resolved at start.
 *
 * @example const method = client.rpc('GetAvailability'); method.path // '/inventory.v1.Inventory/GetAvailability'
 */
export interface RpcMethod {
  name: string;
  /** The HTTP/2 path gRPC sends it on, `/<package.Service>/<Method>`. */
  path: string;
  /** The contract says it has no side effects or is idempotent (`idempotency_level`): retries may repeat it. */
  idempotent: boolean;
  /** The server answers with a stream of messages. */
  responseStream: boolean;
  /** Encodes a request message (throws on a value the message type cannot hold). */
  serialize: (message: unknown) => Buffer;
  /** Decodes a response message (throws on bytes that are not one). */
  deserialize: (bytes: Buffer) => unknown;
}

/** An upstream's service: its methods by name and by path. */
export interface GrpcContract {
  service: string;
  byName: ReadonlyMap<string, RpcMethod>;
  byPath: ReadonlyMap<string, RpcMethod>;
}

const contracts = new WeakMap<UpstreamConfig, GrpcContract>();

/**
 * The contract of a gRPC upstream, loaded from its `.proto` once per upstream
 * config (the transport and the client share it). A missing file, service or
 * config fails at start with a message naming the upstream.
 *
 * @example const contract = grpcContract('inventory', config); contract.byName.get('GetAvailability')
 */
export function grpcContract(upstream: string, config: UpstreamConfig): GrpcContract {
  let contract = contracts.get(config);
  if (!contract) {
    if (!config.grpc) throw new Error(`upstream ${upstream}: protocol grpc needs upstreams.${upstream}.grpc (protoFile, service)`);
    contract = loadContract(upstream, config.grpc);
    contracts.set(config, contract);
  }
  return contract;
}

function loadContract(upstream: string, grpc: GrpcUpstreamConfig): GrpcContract {
  const file = protoFilePath(upstream, grpc);
  const definition = loadSync(file, { ...LOADER_OPTIONS, includeDirs: [dirname(file)] });
  const service = definition[grpc.service];
  if (!service || 'format' in service) {
    throw new Error(`upstream ${upstream}: service ${grpc.service} is not in ${grpc.protoFile}`);
  }
  const byName = new Map<string, RpcMethod>();
  const byPath = new Map<string, RpcMethod>();
  for (const [name, method] of Object.entries(service as Record<string, MethodDefinition<unknown, unknown>>)) {
    if (method.requestStream) continue; // client and bidi streams: nothing in the gateway sends one
    const level = (method.options as { idempotency_level?: string } | undefined)?.idempotency_level;
    const rpc: RpcMethod = {
      name,
      path: method.path,
      idempotent: level === 'NO_SIDE_EFFECTS' || level === 'IDEMPOTENT',
      responseStream: method.responseStream,
      serialize: method.requestSerialize,
      deserialize: method.responseDeserialize,
    };
    byName.set(name, rpc);
    byPath.set(rpc.path, rpc);
  }
  return { service: grpc.service, byName, byPath };
}

/**
 * `protoFile` under the proto root: the configured one, else the `proto/`
 * folder beside the app's main script (where the app's build copies the
 * repo's), else the nearest `proto/` above the working directory (tests,
 * running from source).
 */
function protoFilePath(upstream: string, grpc: GrpcUpstreamConfig): string {
  const roots = grpc.protoRoot
    ? [resolve(grpc.protoRoot)]
    : [...(process.argv[1] && isAbsolute(process.argv[1]) ? [join(dirname(process.argv[1]), 'proto')] : []), ...protoFoldersAbove(process.cwd())];
  for (const root of roots) {
    const file = join(root, grpc.protoFile);
    if (existsSync(file)) return file;
  }
  throw new Error(`upstream ${upstream}: ${grpc.protoFile} not found under ${roots.join(', ') || 'any proto/ folder'}`);
}

function protoFoldersAbove(from: string): string[] {
  const folders: string[] = [];
  for (let dir = from; ; dir = dirname(dir)) {
    folders.push(join(dir, 'proto'));
    if (dirname(dir) === dir) return folders;
  }
}
