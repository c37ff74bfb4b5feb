import { existsSync, readFileSync } from 'node:fs';

/** One mapping segment: generated column -> original source, line and column (all 0-based). */
interface Segment {
  column: number;
  source: number;
  line: number;
  sourceColumn: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one Base64 VLQ field list (`AAAA,SAAS` segment) into its numbers. */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`bad VLQ character "${char}"`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * A version 3 source map, enough to say which original file (and line) a
 * generated position came from: the profile of a webpack bundle then names
 * `libs/gateway-kernel/src/...` instead of `main.js:4493`.
 */
export class SourceMap {
  private readonly lines: Segment[][];

  constructor(
    readonly sources: string[],
    mappings: string,
  ) {
    this.lines = [];
    let source = 0;
    let line = 0;
    let sourceColumn = 0;
    for (const text of mappings.split(';')) {
      const segments: Segment[] = [];
      let column = 0;
      for (const field of text.split(',')) {
        if (!field) continue;
        const v = decodeVlq(field);
        column += v[0];
        if (v.length < 4) continue; // a segment without a source
        source += v[1];
        line += v[2];
        sourceColumn += v[3];
        segments.push({ column, source, line, sourceColumn });
      }
      this.lines.push(segments);
    }
  }

  /** Reads `<file>.map` beside a bundle; undefined when there is none. */
  static forBundle(file: string): SourceMap | undefined {
    const mapFile = `${file}.map`;
    if (!existsSync(mapFile)) return undefined;
    const raw = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
    return new SourceMap(raw.sources, raw.mappings);
  }

  /** The original position of a generated one (0-based line and column). */
  lookup(line: number, column: number): { source: string; line: number } | undefined {
    const segments = this.lines[line];
    if (!segments || segments.length === 0) return undefined;
    let found = segments[0];
    for (const segment of segments) {
      if (segment.column > column) break;
      found = segment;
    }
    return { source: this.sources[found.source], line: found.line };
  }
}
