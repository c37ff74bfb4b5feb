import { GrpcCallError, GrpcStatus } from './grpc-status';

/** Every gRPC message on the wire starts with this: one flag byte (1: compressed), then its length as 4 bytes, big-endian. */
const PREFIX_BYTES = 5;
const EMPTY = Buffer.alloc(0);

/**
 * One encoded message with its length prefix, uncompressed: the body of a
 * unary or server-streaming request.
 *
 * @example stream.end(frameMessage(method.serialize({ sku: 'p1' })));
 */
export function frameMessage(message: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, PREFIX_BYTES);
  return frame;
}

/** Told of each whole message a MessageReader finds. */
export interface MessageSink {
  message(bytes: Buffer): void;
}

/**
 * Finds the length-prefixed messages in a response's DATA, however the
 * chunks split them (a prefix or a message across chunks, several messages
 * in one). A message is refused at its prefix when it is longer than
 * `maxBytes` (before any of it is held) or marked compressed: the gateway
 * never offers an encoding, so a server that compresses anyway is broken.
 * A message inside one chunk is handed over as a view of it, not a copy.
 *
 * @example const reader = new MessageReader(config.maxResponseBytes); stream.on('data', (chunk) => reader.read(chunk, sink));
 */
export class MessageReader {
  /** Length of the message being read, or -1 while reading a prefix. */
  private length = -1;
  private received = 0;
  private parts: Buffer[] = [];
  /** A prefix split across chunks, kept until whole. */
  private prefix: Buffer | undefined;
  private prefixFill = 0;

  constructor(private readonly maxBytes: number) {}

  /** True when a message (or its prefix) was begun and not finished: the answer ended inside it. */
  get partial(): boolean {
    return this.length >= 0 || this.prefixFill > 0;
  }

  /** Reads one chunk, telling `sink` of each message it completes; throws a GrpcCallError on a message it refuses. */
  read(chunk: Buffer, sink: MessageSink): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.length < 0) {
        let flag: number;
        let length: number;
        if (this.prefixFill === 0 && chunk.length - offset >= PREFIX_BYTES) {
          flag = chunk[offset];
          length = chunk.readUInt32BE(offset + 1);
          offset += PREFIX_BYTES;
        } else {
          const prefix = (this.prefix ??= Buffer.allocUnsafe(PREFIX_BYTES));
          const n = Math.min(PREFIX_BYTES - this.prefixFill, chunk.length - offset);
          chunk.copy(prefix, this.prefixFill, offset, offset + n);
          this.prefixFill += n;
          offset += n;
          if (this.prefixFill < PREFIX_BYTES) return;
          this.prefixFill = 0;
          flag = prefix[0];
          length = prefix.readUInt32BE(1);
        }
        this.begin(flag, length);
        if (length === 0) {
          this.length = -1;
          sink.message(EMPTY);
        }
        continue;
      }
      const needed = this.length - this.received;
      const available = chunk.length - offset;
      if (this.received === 0 && available >= needed) {
        this.length = -1;
        sink.message(chunk.subarray(offset, offset + needed));
        offset += needed;
        continue;
      }
      const n = Math.min(needed, available);
      this.parts.push(chunk.subarray(offset, offset + n));
      this.received += n;
      offset += n;
      if (this.received === this.length) {
        const message = Buffer.concat(this.parts, this.length);
        this.length = -1;
        this.received = 0;
        this.parts = [];
        sink.message(message);
      }
    }
  }

  private begin(flag: number, length: number): void {
    if (flag === 1) throw new GrpcCallError(GrpcStatus.INTERNAL, 'the server sent a compressed message; no encoding was offered');
    if (flag !== 0) throw new GrpcCallError(GrpcStatus.INTERNAL, `invalid message flag ${flag}`);
    if (length > this.maxBytes) throw new GrpcCallError(GrpcStatus.RESOURCE_EXHAUSTED, `a message of ${length} bytes is larger than the ${this.maxBytes} allowed`);
    this.length = length;
  }
}
