import { busyPercent, CLK_TCK, cpuMsOfTree, memoryOfTree, parseCpuTimes, parseProcStat, parseProcStatus, processTree } from './proc-stats';

describe('/proc readings', () => {
  it('reads utime + stime and ppid, even when the command name has spaces and parentheses', () => {
    const line = '4242 (node (web) bff) S 17 4242 17 0 -1 4194560 12000 0 0 0 1234 567 0 0 20 0 11 0 5000 1100000000 20000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ ppid: 17, cpuTicks: 1234 + 567 });
  });

  it('reads VmHWM and VmRSS in KiB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t   98765 kB\nVmRSS:\t   87654 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ hwmKb: 98765, rssKb: 87654 });
  });

  it('reads per-CPU busy time from /proc/stat and turns two readings into a busy share', () => {
    const before = parseCpuTimes('cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 100 0 50 800 50 0 0 0 0 0\ncpu1 10 0 10 980 0 0 0 0 0 0\nintr 1 2 3\n');
    const after = parseCpuTimes('cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 160 0 80 810 50 0 0 0 0 0\ncpu1 20 0 10 1070 0 0 0 0 0 0\n');
    expect(before.get(0)).toEqual({ busy: 150, total: 1000 });
    expect(busyPercent(before, after, 0)).toBe(90);
    expect(busyPercent(before, after, 1)).toBe(10);
    expect(busyPercent(before, after, 7)).toBeNaN();
  });

  it('measures this very process', () => {
    const start = Date.now();
    while (Date.now() - start < 60) Math.sqrt(Math.random()); // burn a little CPU
    expect(CLK_TCK).toBeGreaterThan(0);
    expect(processTree(process.pid)[0]).toBe(process.pid);
    expect(cpuMsOfTree(process.pid)).toBeGreaterThan(0);
    expect(memoryOfTree(process.pid).hwmMb).toBeGreaterThan(10);
  });
});
