/** One event of a `text/event-stream` (WHATWG HTML, "event stream interpretation"). */
export interface ParsedSseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Longer than this without an event boundary is not a feed we speak with: the stream is refused rather than buffered. */
const MAX_PENDING_CHARS = 1_048_576;

/**
 * An incremental event-stream parser: feed it chunks as they arrive, it calls
 * `onEvent` per complete event. Comment lines (heartbeats) are skipped; CR,
 * LF and CRLF all end a line; an event without data is not dispatched.
 * Throws when one event grows past 1 MiB.
 *
 * @example const parse = sseParser((e) => console.log(e.id, e.data)); stream.on('data', (chunk) => parse(chunk.toString()));
 */
export function sseParser(onEvent: (event: ParsedSseEvent) => void): (chunk: string) => void {
  let pending = '';
  let data: string[] = [];
  let id: string | undefined;
  let event = 'message';
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ id, event, data: data.join('\n') });
      data = [];
      id = undefined;
      event = 'message';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'event') event = value;
  };
  return (chunk: string) => {
    pending += chunk;
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (c === 13 && i === pending.length - 1) break;
      line(pending.slice(start, i));
      if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_PENDING_CHARS) throw new Error('event stream: one line is longer than 1 MiB');
  };
}
