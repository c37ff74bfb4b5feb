import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU clock ticks per second (`getconf CLK_TCK`, almost always 100). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcStat {
  ppid: number;
  /** User plus system CPU time of the process (all its threads), in ticks. */
  cpuTicks: number;
}

/**
 * Reads `/proc/<pid>/stat`. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last `)`: state is field 3,
 * ppid 4, utime 14, stime 15.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  if (close === -1) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const fields = text.slice(close + 2).trim().split(/\s+/); // fields[0] is field 3 (state)
  const at = (field: number) => Number(fields[field - 3]);
  return { ppid: at(4), cpuTicks: at(14) + at(15) };
}

export interface ProcMemory {
  /** Peak resident set size so far (VmHWM), in KiB. */
  hwmKb: number;
  /** Resident set size now (VmRSS), in KiB. */
  rssKb: number;
}

/** Reads VmHWM and VmRSS from `/proc/<pid>/status`. */
export function parseProcStatus(text: string): ProcMemory {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match ? Number(match[1]) : NaN;
  };
  return { hwmKb: field('VmHWM'), rssKb: field('VmRSS') };
}

/** The pid and all its descendants (nginx's master and workers, for example). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { ppid } = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length && out.length < 10_000) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU milliseconds used so far by a process tree. */
export function cpuMsOfTree(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      ticks += parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuTicks;
    } catch {
      // Gone: its time is lost, as it would be to any sampler.
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

/** Memory of a process tree: the sum of each process's VmHWM and VmRSS, in MiB. */
export function memoryOfTree(root: number): { hwmMb: number; rssMb: number } {
  let hwm = 0;
  let rss = 0;
  for (const pid of processTree(root)) {
    try {
      const m = parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
      hwm += m.hwmKb;
      rss += m.rssKb;
    } catch {
      // Gone.
    }
  }
  return { hwmMb: hwm / 1024, rssMb: rss / 1024 };
}

export interface CpuTimes {
  /** Ticks spent not idle (user, nice, system, irq, softirq, steal). */
  busy: number;
  total: number;
}

/** Per-CPU times from `/proc/stat` (`cpu0 user nice system idle iowait irq softirq steal ...`). */
export function parseCpuTimes(text: string): Map<number, CpuTimes> {
  const out = new Map<number, CpuTimes>();
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2].trim().split(/\s+/).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    out.set(Number(match[1]), { busy, total: busy + idle + iowait });
  }
  return out;
}

export function readCpuTimes(): Map<number, CpuTimes> {
  return parseCpuTimes(readFileSync('/proc/stat', 'utf8'));
}

/** Busy share (%) of one CPU between two readings. */
export function busyPercent(before: Map<number, CpuTimes>, after: Map<number, CpuTimes>, cpu: number): number {
  const a = before.get(cpu);
  const b = after.get(cpu);
  if (!a || !b || b.total <= a.total) return NaN;
  return (100 * (b.busy - a.busy)) / (b.total - a.total);
}
