import { parseBenchJsonLine, parseWrkDuration, parseWrkOutput, parseWrkText } from './wrk-output';

// Real wrk 4.1.0 output (--latency -s wrk/count.lua), trimmed of nothing.
const WITH_LUA = `Running 2s test @ http://127.0.0.1:14002/products/p1
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.78ms   15.30ms 195.99ms   95.37%
    Req/Sec    19.88k    10.18k   29.45k    80.00%
  Latency Distribution
     50%    1.87ms
     75%    3.04ms
     90%   10.65ms
     99%   93.10ms
  39665 requests in 2.01s, 25.99MB read
Requests/sec:  19748.07
Transfer/sec:     12.94MB
BENCH_JSON {"requests":39665,"durationUs":2008551,"bytes":27249855,"non2xx":0,"errors":{"connect":0,"read":0,"write":0,"status":0,"timeout":0},"latencyUs":{"min":143,"mean":5783.0,"stdev":15300.7,"max":195987,"p50":1873,"p75":3038,"p90":10653,"p99":93102,"p999":159386}}
`;

const PLAIN_WITH_ERRORS = `Running 1s test @ http://127.0.0.1:14002/nope
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00us    1.70ms  16.75ms   93.10%
    Req/Sec    16.50k     2.10k   18.00k    70.00%
  Latency Distribution
     50%  384.00us
     75%  625.00us
     90%    2.53ms
     99%    9.54ms
  16480 requests in 1.00s, 4.09MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 16480
Requests/sec:  16445.22
Transfer/sec:      4.09MB
`;

describe('wrk output', () => {
  it('reads durations in every unit wrk prints, as microseconds', () => {
    expect(parseWrkDuration('812.00us')).toBe(812);
    expect(parseWrkDuration('1.87ms')).toBeCloseTo(1870);
    expect(parseWrkDuration('2.01s')).toBeCloseTo(2_010_000);
    expect(parseWrkDuration('1.00m')).toBe(60_000_000);
    expect(() => parseWrkDuration('fast')).toThrow(/not a wrk duration/);
  });

  it('takes the Lua line as the source of truth when present', () => {
    const result = parseWrkOutput(WITH_LUA);
    expect(result).toMatchObject({ requests: 39665, non2xx: 0, valid: true, bytes: 27249855 });
    expect(result.durationS).toBeCloseTo(2.008551, 6);
    expect(result.rps).toBeCloseTo(39665 / 2.008551, 3);
    expect(result.latencyUs).toMatchObject({ p50: 1873, p75: 3038, p90: 10653, p99: 93102, p999: 159386, max: 195987 });
    expect(parseBenchJsonLine(WITH_LUA)?.errors.timeout).toBe(0);
  });

  it('agrees with the text report on the same run', () => {
    const text = parseWrkText(WITH_LUA);
    expect(text.requests).toBe(39665);
    expect(text.rps).toBeCloseTo(19748.07, 2);
    expect(text.latencyUs.p50).toBeCloseTo(1870);
    expect(text.latencyUs.p99).toBeCloseTo(93100);
    expect(text.latencyUs.mean).toBeCloseTo(5780);
    expect(text.bytes).toBeCloseTo(25.99 * 1024 * 1024, -3);
  });

  it('falls back to the text report, counting socket errors and non-2xx, and marks the run invalid', () => {
    const result = parseWrkOutput(PLAIN_WITH_ERRORS);
    expect(result.socketErrors).toEqual({ connect: 0, read: 3, write: 0, timeout: 2 });
    expect(result.non2xx).toBe(16480);
    expect(result.latencyUs.p50).toBe(384);
    expect(result.valid).toBe(false);
    expect(result.invalidReason).toBe('16480 non-2xx answers; socket errors (read 3, timeout 2)');
  });

  it('marks a run invalid on a non-2xx counted only by the Lua script (a 3xx, which wrk ignores)', () => {
    const redirected = WITH_LUA.replace('"non2xx":0', '"non2xx":7');
    expect(parseWrkOutput(redirected)).toMatchObject({ valid: false, non2xx: 7, invalidReason: '7 non-2xx answers' });
  });

  it('marks a run with no requests invalid, and refuses output that is not wrk\'s', () => {
    const none = WITH_LUA.replace('"requests":39665', '"requests":0');
    expect(parseWrkOutput(none)).toMatchObject({ valid: false, invalidReason: 'no requests completed' });
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/no "N requests in" line/);
  });
});
