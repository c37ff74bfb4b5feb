import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { BatchedLines, type LineSink } from './batched-lines';

function recordingSink() {
  const chunks: string[] = [];
  let syncFlushes = 0;
  const sink: LineSink = {
    write: (chunk) => chunks.push(chunk),
    flushSync: () => {
      syncFlushes += 1;
    },
  };
  return { sink, chunks, syncFlushes: () => syncFlushes };
}

describe('BatchedLines', () => {
  afterEach(() => jest.useRealTimers());

  it('hands lines to the sink joined, once a batch has gathered, in the order they came', () => {
    const { sink, chunks } = recordingSink();
    const lines = new BatchedLines(sink, 30, 1_000);
    lines.write('{"n":1}\n');
    lines.write('{"n":2}\n');
    lines.write('{"n":3}\n');
    expect(chunks).toEqual([]);
    lines.write('{"n":4}\n');
    expect(chunks).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
    lines.write('{"n":5}\n');
    expect(chunks).toHaveLength(1);
    lines.end();
  });

  it('writes what has gathered at the latest flushMs after the first line of a batch', () => {
    jest.useFakeTimers();
    const { sink, chunks } = recordingSink();
    const lines = new BatchedLines(sink, 8_192, 250);
    lines.write('a\n');
    jest.advanceTimersByTime(200);
    lines.write('b\n');
    expect(chunks).toEqual([]);
    jest.advanceTimersByTime(50);
    expect(chunks).toEqual(['a\nb\n']);
    lines.write('c\n');
    jest.advanceTimersByTime(249);
    expect(chunks).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(chunks).toEqual(['a\nb\n', 'c\n']);
    lines.end();
  });

  it('on flushSync writes what it gathered and what the sink still holds before returning', () => {
    const { sink, chunks, syncFlushes } = recordingSink();
    const lines = new BatchedLines(sink, 8_192, 250);
    lines.write('last words\n');
    lines.flushSync();
    expect(chunks).toEqual(['last words\n']);
    expect(syncFlushes()).toBe(1);
    lines.end();
  });

  it('flushes on process exit until it is ended', () => {
    const before = process.listenerCount('exit');
    const lines = new BatchedLines(recordingSink().sink, 8_192, 250);
    expect(process.listenerCount('exit')).toBe(before + 1);
    lines.end();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('under pino with sonic-boom, every line reaches the file whole, however the batches fall', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'batched-lines-')), 'out.log');
    const sink = pino.destination({ dest: file, sync: false, minLength: 0 });
    await once(sink, 'ready');
    const lines = new BatchedLines(sink, 512, 250);
    const logger = pino({ base: undefined, timestamp: false }, lines);
    for (let n = 0; n < 500; n++) logger.info({ n, text: 'é'.repeat(n % 7) }, 'line');
    lines.flushSync();
    const written = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(written.map((line) => line.n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    expect(written[6].text).toBe('éééééé');
    lines.end();
    sink.end();
  });
});
