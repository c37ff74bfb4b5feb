import { frameMessage, MessageReader } from './grpc-framing';
import { GrpcCallError, GrpcStatus } from './grpc-status';

const bytes = (text: string) => Buffer.from(text);

/** Reads `chunks` in order and returns each message as text. */
function readAll(reader: MessageReader, chunks: Buffer[]): string[] {
  const seen: string[] = [];
  const sink = { message: (message: Buffer) => void seen.push(message.toString()) };
  for (const chunk of chunks) reader.read(chunk, sink);
  return seen;
}

function refusal(action: () => void): GrpcCallError | undefined {
  try {
    action();
  } catch (error) {
    return error as GrpcCallError;
  }
  return undefined;
}

describe('gRPC message framing', () => {
  it('prefixes a message with a zero flag and its length, big-endian', () => {
    expect([...frameMessage(bytes('abc'))]).toEqual([0, 0, 0, 0, 3, 0x61, 0x62, 0x63]);
  });

  it('reads several messages from one chunk', () => {
    const chunk = Buffer.concat([frameMessage(bytes('one')), frameMessage(bytes('two')), frameMessage(bytes('three'))]);
    expect(readAll(new MessageReader(1024), [chunk])).toEqual(['one', 'two', 'three']);
  });

  it('reads a message whatever the chunks split: inside the prefix, inside the body, one byte at a time', () => {
    const wire = Buffer.concat([frameMessage(bytes('first message')), frameMessage(bytes('second'))]);
    for (const cuts of [[2], [5], [7], [3, 9, 20], Array.from({ length: wire.length - 1 }, (_, i) => i + 1)]) {
      const chunks = [0, ...cuts, wire.length].slice(1).map((end, i, ends) => wire.subarray(i === 0 ? 0 : ends[i - 1], end));
      const reader = new MessageReader(1024);
      expect(readAll(reader, chunks)).toEqual(['first message', 'second']);
      expect(reader.partial).toBe(false);
    }
  });

  it('hands over an empty message', () => {
    expect(readAll(new MessageReader(1024), [Buffer.concat([frameMessage(Buffer.alloc(0)), frameMessage(bytes('x'))])])).toEqual(['', 'x']);
  });

  it('says when the answer stopped inside a message', () => {
    const reader = new MessageReader(1024);
    readAll(reader, [frameMessage(bytes('cut short')).subarray(0, 8)]);
    expect(reader.partial).toBe(true);
    const inPrefix = new MessageReader(1024);
    readAll(inPrefix, [Buffer.from([0, 0])]);
    expect(inPrefix.partial).toBe(true);
  });

  it('refuses a message longer than the limit at its prefix, before holding any of it', () => {
    const reader = new MessageReader(16);
    const prefixOnly = frameMessage(Buffer.alloc(17)).subarray(0, 5);
    expect(refusal(() => readAll(reader, [prefixOnly]))).toMatchObject({ code: GrpcStatus.RESOURCE_EXHAUSTED });
    expect(readAll(new MessageReader(16), [frameMessage(Buffer.alloc(16))])).toHaveLength(1);
  });

  it('refuses a compressed message (no encoding is ever offered) and an unknown flag', () => {
    const compressed = frameMessage(bytes('zz'));
    compressed[0] = 1;
    expect(refusal(() => readAll(new MessageReader(1024), [compressed]))).toMatchObject({ code: GrpcStatus.INTERNAL, details: expect.stringMatching(/compressed/) });
    compressed[0] = 7;
    expect(refusal(() => readAll(new MessageReader(1024), [compressed]))).toMatchObject({ code: GrpcStatus.INTERNAL });
  });
});
