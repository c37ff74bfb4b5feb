import { sseParser, type ParsedSseEvent } from './sse-parser';

function parseAll(chunks: string[]): ParsedSseEvent[] {
  const events: ParsedSseEvent[] = [];
  const parse = sseParser((event) => events.push(event));
  for (const chunk of chunks) parse(chunk);
  return events;
}

describe('sseParser', () => {
  it('reads ids, names and multi-line data, skipping comments', () => {
    expect(parseAll([': hello\n\nid: 7\nevent: change\ndata: a\ndata: b\n\n'])).toEqual([{ id: '7', event: 'change', data: 'a\nb' }]);
  });

  it('joins events split across chunks, CRLF included', () => {
    expect(parseAll(['id: 1\r', '\ndata: {"x"', ':1}\r\n\r', '\n'])).toEqual([{ id: '1', event: 'message', data: '{"x":1}' }]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(parseAll(['id: 3\n\n: hb\n\n'])).toEqual([]);
  });

  it('refuses a line that never ends', () => {
    const parse = sseParser(() => undefined);
    expect(() => parse(`data: ${'x'.repeat(1_100_000)}`)).toThrow(/longer than 1 MiB/);
  });
});
