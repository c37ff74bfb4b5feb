import { connect, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import type { UpstreamTlsOptions } from '../../../config';
import { installCheapAsyncResourceBind } from './async-resource-bind';

/**
 * Redial a lost instance soon (100 ms, backing off to 2 s at most): the
 * breaker and readiness decide when to send it calls again, and they need
 * the connection back to do so.
 */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/** gRPC never pushes; refusing it saves the server the offer. */
const SESSION_OPTIONS: SecureClientSessionOptions = { settings: { enablePush: false } };

/** One HTTP/2 connection and what the instance knows of it. */
export interface H2Connection {
  readonly session: ClientHttp2Session;
  /**
   * The server's SETTINGS arrived, so the preface was exchanged: a failure
   * after this is a dropped connection, not a refused one. Not the socket's
   * (or TLS's) connect: under TLS 1.3 the client's handshake is done before
   * the server has checked its certificate, and a server that refuses it
   * never sends SETTINGS.
   */
  connected: boolean;
  /** Calls open on it: while there are none it does not keep the process alive. */
  active: number;
}

/**
 * One instance's HTTP/2 connection (node:http2, every call a stream on it),
 * opened at start and opened again lazily, on the first call after it
 * closed or the server sent GOAWAY. A connection that failed before it was
 * up backs off (100 ms, doubling to 2 s) before the next try; calls in
 * that time fail at once as unavailable, so retries go to another instance
 * and the breaker counts them, instead of queueing behind a dead host. TLS
 * (ALPN h2) for an `https://` origin, trusting `tls.ca` (else the system's
 * CAs), presenting `tls.cert`, checking `tls.servername` (else the host);
 * plaintext HTTP/2 (h2c, as in-cluster gRPC runs) for `http://`.
 *
 * @example const h2 = new H2Session('http://10.0.0.7:4005'); const stream = h2.current()?.session.request(headers);
 */
export class H2Session {
  private connection: H2Connection | undefined;
  private retryAt = 0;
  private backoffMs = FIRST_BACKOFF_MS;
  private closed = false;

  private readonly options: SecureClientSessionOptions;

  constructor(
    private readonly origin: string,
    tls?: UpstreamTlsOptions,
  ) {
    this.options = tls ? { ...SESSION_OPTIONS, ...tls } : SESSION_OPTIONS;
    // Every call is a stream, and node:http2 binds an AsyncResource for each.
    installCheapAsyncResourceBind();
    this.open();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The connection to send a call on: the open one, or a new one if it is gone; undefined while backing off, or once closed. */
  current(): H2Connection | undefined {
    const connection = this.connection;
    if (connection !== undefined && !connection.session.closed && !connection.session.destroyed) return connection;
    if (this.closed || Date.now() < this.retryAt) return undefined;
    return this.open();
  }

  /** Counts a call open on `connection`; `release` it when the call ends. */
  hold(connection: H2Connection): void {
    if (connection.active++ === 0) connection.session.ref();
  }

  release(connection: H2Connection): void {
    if (--connection.active === 0 && !connection.session.destroyed) connection.session.unref();
  }

  /**
   * Whether the instance answers within `timeoutMs` (readiness): a new
   * connection is tried at once if there is none, backoff or not, and an
   * open one must answer a PING, so a connection the server stopped reading
   * does not pass for up.
   */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const current = this.connection;
    const connection = current !== undefined && !current.session.closed && !current.session.destroyed ? current : this.open();
    const session = connection.session;
    return new Promise((resolve) => {
      const done = (up: boolean) => {
        clearTimeout(timer);
        session.off('remoteSettings', onConnect);
        session.off('close', onClose);
        resolve(up);
      };
      const onConnect = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(done, timeoutMs, false);
      session.once('close', onClose);
      if (connection.connected) session.ping((error) => done(!error));
      else session.once('remoteSettings', onConnect);
    });
  }

  /** No new calls; calls in flight finish on the connection, which then closes. */
  close(): void {
    this.closed = true;
    this.connection?.session.close();
    this.connection = undefined;
  }

  private open(): H2Connection {
    const session = connect(this.origin, this.options);
    const connection: H2Connection = { session, connected: false, active: 0 };
    session.unref();
    session.once('remoteSettings', () => {
      connection.connected = true;
      this.backoffMs = FIRST_BACKOFF_MS;
    });
    // A connection's failure reaches each call on it as its stream's; unheard here it would be thrown.
    session.on('error', () => undefined);
    session.once('close', () => {
      if (this.connection === connection) this.connection = undefined;
      if (!connection.connected) {
        this.retryAt = Date.now() + this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
      }
    });
    this.connection = connection;
    return connection;
  }
}
