import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { FaultConfig } from '../faults/fault-config';

/** What a gRPC server takes connections from (grpc-js `Server.createConnectionInjector`). */
export interface ConnectionSink {
  injectConnection(connection: Duplex): void;
}

/** Every HTTP/2 connection opens with this (RFC 9113 §3.4); an HTTP/1.1 request line never does. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');
/** A TLS connection opens with a handshake record (RFC 8446 §5.1); no HTTP/1.1 request line or h2 preface does. */
const TLS_HANDSHAKE = 0x16;
/** A connection that has not said which protocol it speaks by then is dropped. */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

/**
 * One port, two protocols: gRPC (HTTP/2 without TLS, as gRPC clients speak
 * it in-cluster) and HTTP/1.1 for the control routes (`/__sim/*`, `/health`),
 * told apart by the connection's first bytes. So the inventory sim is
 * controlled at its own URL like every other sim. With `grpcOverTls`, a
 * connection that opens with a TLS handshake is gRPC (the server end of
 * TLS is grpc-js's), a plaintext HTTP/2 one is dropped, and the control
 * routes stay plain HTTP/1.1.
 *
 * The faults `down` and `reset` act here, on gRPC connections: one is
 * dropped (or reset) as it opens with the fault's `errorRate` chance, and
 * setting such a fault drops the open ones with that chance at once.
 */
export class SharedPort {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly grpcSockets = new Set<Socket>();

  constructor(
    private readonly http: HttpServer,
    private readonly grpc: ConnectionSink,
    private readonly connectionFault: () => FaultConfig | null,
    private readonly grpcOverTls = false,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  /** Applies a newly set `down`/`reset` fault to the gRPC connections already open. */
  faultOpenConnections(config: FaultConfig | null): void {
    for (const socket of [...this.grpcSockets]) this.maybeDrop(socket, config);
  }

  /** Stops listening and cuts every connection, so close never waits for a client. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.grpcSockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const tls = this.grpcOverTls && head[0] === TLS_HANDSHAKE;
      const compared = Math.min(head.length, H2_PREFACE.length);
      const h2 = !tls && head.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
      if (h2 && head.length < H2_PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.setTimeout(0);
      // With TLS on, plaintext HTTP/2 is refused: a client that forgot TLS should fail, not be served.
      if (this.grpcOverTls ? tls : h2) this.toGrpc(socket, head);
      else if (h2) socket.destroy();
      else this.toHttp(socket, head);
    };
    socket.on('data', onData);
  }

  private toHttp(socket: Socket, head: Buffer): void {
    socket.unshift(head);
    this.http.emit('connection', socket);
    socket.resume();
  }

  /**
   * Node's HTTP/2 server reads a net.Socket's handle directly and would miss
   * the bytes already read to tell the protocols apart; a Duplex over the
   * socket (which HTTP/2 reads through JavaScript) replays them.
   */
  private toGrpc(socket: Socket, head: Buffer): void {
    this.grpcSockets.add(socket);
    // grpc-js sets no-delay only on a net.Socket it holds; behind the Duplex each answer's last write (the trailers) would wait for a delayed ACK.
    socket.setNoDelay(true);
    if (this.maybeDrop(socket, this.connectionFault())) return;
    const duplex = new Duplex({
      read: () => void socket.resume(),
      write: (chunk, encoding, callback) => void socket.write(chunk, encoding, callback),
      final: (callback) => void socket.end(callback),
      destroy: (error, callback) => {
        socket.destroy();
        callback(error);
      },
    });
    duplex.push(head);
    socket.on('data', (chunk: Buffer) => {
      if (!duplex.push(chunk)) socket.pause();
    });
    socket.once('end', () => duplex.push(null));
    socket.once('close', () => duplex.destroy());
    this.grpc.injectConnection(duplex);
    socket.resume();
  }

  /** True when the fault took the connection. */
  private maybeDrop(socket: Socket, config: FaultConfig | null): boolean {
    if (config === null || (config.mode !== 'down' && config.mode !== 'reset')) return false;
    if (config.errorRate < 1 && Math.random() >= config.errorRate) return false;
    if (config.mode === 'reset') socket.resetAndDestroy();
    else socket.destroy();
    return true;
  }
}
