/**
 * One event as every client gets it, built once however many clients it goes
 * to: `frame` is the compact JSON a WebSocket sends as-is,
 * `{"id":"1733140000000-7","topic":"orders","data":{...}}`.
 */
export interface LiveEvent {
  /** `<epoch ms>-<sequence>`, increasing; SSE clients resume after it with `Last-Event-ID`. */
  readonly id: string;
  /** The channel it was published on (`orders:u1`, `stock:p1`). */
  readonly channel: string;
  readonly frame: string;
  /** The frame's bytes, made by the first client that sends it, shared by the rest (see {@link frameBytes}). */
  bytes?: Buffer;
  /** The SSE form, likewise (see {@link sseBytes}). */
  sse?: Buffer;
}

/** The frame as bytes, encoded once per event however many WebSocket clients get it. */
export function frameBytes(event: LiveEvent): Buffer {
  return (event.bytes ??= Buffer.from(event.frame));
}

/** The event as Server-Sent Event bytes (`id:` and one `data:` line), encoded once per event. */
export function sseBytes(event: LiveEvent): Buffer {
  return (event.sse ??= Buffer.from(`id: ${event.id}\ndata: ${event.frame}\n\n`));
}

/** The frame for an event; `data` is JSON text made by the event's source. */
export function eventFrame(id: string, topic: string, data: string): string {
  return `{"id":"${id}","topic":${JSON.stringify(topic)},"data":${data}}`;
}

/** The id inside a frame made by {@link eventFrame}, read without parsing the JSON. */
export function frameId(frame: string): string {
  return frame.slice(7, frame.indexOf('"', 7));
}

/**
 * Orders two event ids (`<ms>-<seq>`, as Redis stream ids are): negative when
 * `a` came first. Anything else sorts before every real id.
 *
 * @example compareEventIds('1700000000000-2', '1700000000000-10') < 0
 */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  return am !== bm ? am - bm : as - bs;
}

const EVENT_ID = /^(\d{1,16})-(\d{1,16})$/;

/** Whether a client's `Last-Event-ID` has the shape of an id we send (anything else starts afresh). */
export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && EVENT_ID.test(value);
}

function parts(id: string): [number, number] {
  const match = EVENT_ID.exec(id);
  return match ? [Number(match[1]), Number(match[2])] : [-1, -1];
}
