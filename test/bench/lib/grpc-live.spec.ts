import { parseArgs } from './args';
import { grpcRounds, liveRounds } from './bench-fixtures';
import { grpcSourceMethod, grpcSourceSettings, summariseGrpcSource } from './grpc-source';
import { liveFanoutSettings, liveRound, summariseLiveFanout } from './live-fanout';

describe('the grpc and live scenarios', () => {
  it('run by default and when named, and are shorter under --quick', () => {
    expect(parseArgs(['--scenarios', 'grpc,live']).scenarios).toEqual(['grpc', 'live']);
    expect(grpcSourceSettings(parseArgs([]))).toEqual({ calls: 2_500, callsPerSecond: 500, rounds: 5 });
    expect(grpcSourceSettings(parseArgs(['--quick']))).toEqual({ calls: 500, callsPerSecond: 500, rounds: 1 });
    expect(liveFanoutSettings(parseArgs([]))).toMatchObject({ clients: 1_000, events: 200, rounds: 5, eventSpacingMs: 25 });
    expect(liveFanoutSettings(parseArgs(['--quick', '--rounds', '2']))).toMatchObject({ clients: 1_000, events: 40, rounds: 2 });
  });

  it('take the gRPC/HTTP ratio within each round, then its median', () => {
    // Round 2 is slower both ways (a busy machine): its ratio is still 1.
    const report = summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 45], [100, 100], [50, 60]]), 'how');
    expect(report.grpcOverHttp).toMatchObject({ n: 3, median: 1, min: 0.9, max: 1.2 });
    expect(report.httpCpuUsPerCall).toMatchObject({ median: 50, min: 50, max: 100 });
    expect(report.grpcCpuUsPerCall).toMatchObject({ median: 60, min: 45, max: 100 });
    expect(report.rounds.map((r) => r.order[0])).toEqual(['http', 'grpc', 'http']);
    expect(report.error).toBeUndefined();
    expect(summariseGrpcSource(grpcSourceSettings(parseArgs([])), [], 'how', 'exited 1')).toMatchObject({ grpcOverHttp: { n: 0 }, error: 'exited 1' });
  });

  it('leave a round with a failed call out of every figure, and say so', () => {
    const report = summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 45], [50, 500, 2], [50, 60]]), 'how');
    expect(report.grpcOverHttp).toMatchObject({ n: 2, min: 0.9, max: 1.2 });
    expect(report.grpcCpuUsPerCall.max).toBe(60);
    expect(report.invalidRounds).toEqual(['round 2: 0 HTTP and 2 gRPC calls of 2500 failed (upstream inventory did not answer in time)']);
    expect(report.error).toBeUndefined();
    expect(summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 500, 1]]), 'how')).toMatchObject({ grpcOverHttp: { n: 0 }, error: 'every round had failed calls' });
  });

  it('say how they measured, pinning included', () => {
    const method = grpcSourceMethod(grpcSourceSettings(parseArgs([])), { gateway: 0, load: 1 });
    expect(method).toContain('on CPU 0');
    expect(method).toContain('2500 times, started 500 a second');
  });

  it('charge a fan-out the CPU of its round less the same span idle, per event', () => {
    expect(liveRound(1, 200, { cpuMs: 2_200, idleCpuMs: 200 }, 200_000, 3)).toMatchObject({ cpuMsPerEvent: 10, frames: 200_000, foreignPercentOnGatewayCpu: 3 });
    // Idle noise above a cheap round's CPU is no negative cost.
    expect(liveRound(1, 200, { cpuMs: 100, idleCpuMs: 150 }, 200_000, 0).cpuMsPerEvent).toBe(0);
    const report = summariseLiveFanout(liveFanoutSettings(parseArgs([])), liveRounds([[2_200, 200], [4_200, 200], [3_200, 300]]), 'how', { peakRssMb: 120 });
    expect(report.cpuMsPerEvent).toMatchObject({ n: 3, median: 14.5, min: 10, max: 20 });
    expect(report).toMatchObject({ clients: 1_000, eventsPerRound: 200, peakRssMb: 120, idleCpuMsPerRound: { median: 200 } });
  });
});
