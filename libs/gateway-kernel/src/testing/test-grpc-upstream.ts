import { join } from 'node:path';
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  Metadata,
  Server,
  ServerCredentials,
  type ServerErrorResponse,
  type ServiceDefinition,
  status as GrpcStatus,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { UpstreamConfig } from '../config';
import { testUpstreamConfig } from './test-upstream';

/** The contract the gRPC specs speak: the repo's one `.proto` (inventory), found from the working directory. */
export const TEST_GRPC_CONTRACT = { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' } as const;

export type UnaryHandler = handleUnaryCall<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type StreamHandler = handleServerStreamingCall<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SeenCall {
  path: string;
  metadata: Record<string, string>;
  /** Time left before the call's deadline when it arrived (Infinity: none). */
  deadlineInMs: number;
  /** The client's address: calls on one channel share it. */
  peer: string;
  cancelled: boolean;
}

/**
 * A grpc-js server on 127.0.0.1:0 serving the test contract for specs; each
 * method's handler is swapped per test, and every call it saw is recorded
 * (metadata, the deadline it came with, whether the client cancelled it).
 *
 * @example const upstream = await TestGrpcUpstream.start(); upstream.unary('GetAvailability', answer({ sku: 'p1', stock: 3 }));
 */
export class TestGrpcUpstream {
  readonly seen: SeenCall[] = [];
  private readonly unaryHandlers = new Map<string, UnaryHandler>();
  private streamHandler: StreamHandler = (call) => call.end();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly secure: boolean,
  ) {}

  /** `http://127.0.0.1:<port>` (`https://` with TLS credentials), as an upstream's `urls` name it. */
  get url(): string {
    return `${this.secure ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Serves on `port` (0: a free one), plaintext unless `credentials` are TLS ones. */
  static async start(port = 0, credentials = ServerCredentials.createInsecure()): Promise<TestGrpcUpstream> {
    const definition = loadSync(join(process.cwd(), 'proto', TEST_GRPC_CONTRACT.protoFile), { keepCase: false, longs: Number, defaults: true });
    const service = definition[TEST_GRPC_CONTRACT.service] as unknown as ServiceDefinition;
    const server = new Server();
    // Handlers read the instance made once the port is bound.
    const self: { upstream?: TestGrpcUpstream } = {};
    const record = (call: Parameters<UnaryHandler>[0] | Parameters<StreamHandler>[0], path: string) => {
      const metadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(call.metadata.getMap())) metadata[key] = String(value);
      const deadline = call.getDeadline();
      const at = deadline instanceof Date ? deadline.getTime() : deadline;
      const seen: SeenCall = { path, metadata, deadlineInMs: at - Date.now(), peer: call.getPeer(), cancelled: false };
      call.on('cancelled', () => (seen.cancelled = true));
      self.upstream?.seen.push(seen);
    };
    const implementation: Record<string, UnaryHandler | StreamHandler> = {};
    for (const [name, method] of Object.entries(service)) {
      implementation[name] = method.responseStream
        ? ((call) => {
            record(call, method.path);
            self.upstream?.streamHandler(call);
          }) as StreamHandler
        : ((call, callback) => {
            record(call, method.path);
            (self.upstream?.unaryHandlers.get(name) ?? failWith(GrpcStatus.UNIMPLEMENTED))(call, callback);
          }) as UnaryHandler;
    }
    server.addService(service, implementation);
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, credentials, (error, p) => (error ? reject(error) : resolve(p))),
    );
    self.upstream = new TestGrpcUpstream(server, bound, credentials._isSecure());
    return self.upstream;
  }

  /** Serves `method` (a unary one) with `handler` from now on. */
  unary(method: string, handler: UnaryHandler): void {
    this.unaryHandlers.set(method, handler);
  }

  /** Serves the server-streaming method with `handler` from now on. */
  stream(handler: StreamHandler): void {
    this.streamHandler = handler;
  }

  count(path = ''): number {
    return this.seen.filter((call) => call.path.includes(path)).length;
  }

  async close(): Promise<void> {
    this.server.forceShutdown();
  }
}

/** Answers with `message` after `delayMs`. */
export function answer(message: unknown, delayMs = 0): UnaryHandler {
  return (_call, callback) => (delayMs > 0 ? setTimeout(() => callback(null, message), delayMs) : callback(null, message));
}

/** Ends the call with `code` and a message full of internal detail a gateway must not pass on. */
export function failWith(code: GrpcStatus): UnaryHandler {
  return (_call, callback) => {
    const metadata = new Metadata();
    metadata.set('x-debug', 'db-primary.internal:5432');
    callback(Object.assign(new Error('boom'), { code, details: 'db-primary.internal:5432 refused (10.0.3.17)', metadata }) as ServerErrorResponse);
  };
}

/** Never answers; the call stays open until the client gives up. */
export const hangCall: UnaryHandler = () => undefined;

/** Plays the handlers in order, one per call; the last one repeats. */
export function inTurn(...handlers: UnaryHandler[]): UnaryHandler {
  let next = 0;
  return (call, callback) => handlers[Math.min(next++, handlers.length - 1)](call, callback);
}

/** A validated gRPC upstream config for `urls` speaking the test contract, with overrides. */
export function testGrpcUpstreamConfig(urls: string[], overrides: Record<string, unknown> = {}): UpstreamConfig {
  return testUpstreamConfig(urls, { protocol: 'grpc', grpc: { ...TEST_GRPC_CONTRACT }, ...overrides });
}
