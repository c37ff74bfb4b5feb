import type { ManagedProcess } from './managed-process';

/** A JSON log line of a BFF (pino), as parsed from its output. */
export type LogLine = Record<string, any>;

/** Every line of the process's output that is a JSON object (other lines are skipped). */
export function jsonLogLines(process: ManagedProcess): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of process.output) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line));
    } catch {
      // a line cut by the output buffer's limit
    }
  }
  return lines;
}

/** Waits until a log line matching `predicate` has been written (access lines follow the response). */
export async function waitForLogLine(process: ManagedProcess, predicate: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = jsonLogLines(process).find(predicate);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no matching log line after ${timeoutMs}ms:\n${process.logs().slice(-4_000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One sample of a Prometheus text exposition, by metric name and exact labels (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
