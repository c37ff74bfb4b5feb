import { FrameNamer, summariseProfile, type CpuProfile } from './cpuprofile';
import { decodeVlq, SourceMap } from './source-map';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

// root -> handle (kernel proxy, in a bundle, line 10) -> send (fastify) -> writev (native)
//      -> (idle), (garbage collector)
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
    { id: 2, callFrame: frame('handle', 'file:///repo/dist/apps/web-bff/main.js', 10), children: [3] },
    { id: 3, callFrame: frame('send', 'file:///repo/node_modules/fastify/lib/reply.js', 99), children: [6] },
    { id: 4, callFrame: frame('(idle)') },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('writev') },
  ],
  startTime: 0,
  endTime: 1_000,
  samples: [4, 2, 3, 3, 5, 4, 3, 6],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100],
};

// Line 10 of the bundle maps to libs/gateway-kernel/src/proxy/proxy.handler.ts line 21.
function bundleMap(): SourceMap {
  const lines = Array.from({ length: 10 }, () => '').join(';'); // generated lines 0..9 have no mappings
  return new SourceMap(['/repo/libs/gateway-kernel/src/proxy/proxy.handler.ts'], `${lines};AAoBA`);
}

describe('source maps', () => {
  it('decodes Base64 VLQ fields', () => {
    expect(decodeVlq('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeVlq('C')).toEqual([1]);
    expect(decodeVlq('D')).toEqual([-1]);
    expect(decodeVlq('gB')).toEqual([16]);
    expect(decodeVlq('oB')).toEqual([20]);
    expect(() => decodeVlq('A!')).toThrow(/bad VLQ/);
  });

  it('maps a generated position to its original file and line', () => {
    expect(bundleMap().lookup(10, 5)).toEqual({ source: '/repo/libs/gateway-kernel/src/proxy/proxy.handler.ts', line: 20 });
    expect(bundleMap().lookup(3, 0)).toBeUndefined();
  });
});

describe('CPU profile summary', () => {
  const namer = new FrameNamer(new Map([['/repo/dist/apps/web-bff/main.js', bundleMap()]]), '/repo');

  it('adds self time per function and leaves idle out of the busy share', () => {
    const s = summariseProfile(PROFILE, namer);
    expect(s.totalMs).toBeCloseTo(0.8);
    expect(s.idleMs).toBeCloseTo(0.2);
    expect(s.busyMs).toBeCloseTo(0.6);
    expect(s.topFunctions[0]).toMatchObject({ name: 'send fastify/lib/reply.js:100', share: 0.5 });
    expect(s.topFunctions.map((f) => f.name)).toContain('handle libs/gateway-kernel/src/proxy/proxy.handler.ts:21');
  });

  const shares = (entries: { name: string; share: number }[]) => Object.fromEntries(entries.map((e) => [e.name, Number(e.share.toFixed(3))]));

  it('rolls self time up by origin: npm package, kernel stage, native, GC', () => {
    expect(shares(summariseProfile(PROFILE, namer).byOrigin)).toEqual({ 'npm:fastify': 0.5, 'kernel/proxy': 0.167, '(garbage collector)': 0.167, '(native)': 0.167 });
  });

  it('charges native and Node-internal time to the JavaScript that called it', () => {
    expect(shares(summariseProfile(PROFILE, namer).byCaller)).toEqual({ 'npm:fastify': 0.667, 'kernel/proxy': 0.167, '(garbage collector)': 0.167 });
  });

  it('charges each sample to the innermost kernel stage on its stack', () => {
    expect(shares(summariseProfile(PROFILE, namer).kernelStages)).toEqual({ 'kernel/proxy': 0.833, '(garbage collector)': 0.167 });
  });

  it('names the JavaScript that called the busiest native and Node-internal functions', () => {
    expect(summariseProfile(PROFILE, namer).internalHotspots).toEqual([
      { name: 'writev', ms: 0.1, share: expect.closeTo(1 / 6), callers: [{ name: 'send fastify/lib/reply.js:100', ms: 0.1 }] },
    ]);
  });

  it('shows repo paths relative to the repo even when the bundle was built elsewhere', () => {
    const elsewhere = new SourceMap(['/tmp/ci-clone/libs/gateway-kernel/src/proxy/proxy.handler.ts'], `${Array.from({ length: 10 }, () => '').join(';')};AAoBA`);
    const n = new FrameNamer(new Map([['/repo/dist/apps/web-bff/main.js', elsewhere]]), '/repo');
    expect(n.label(frame('handle', 'file:///repo/dist/apps/web-bff/main.js', 10))).toBe('handle libs/gateway-kernel/src/proxy/proxy.handler.ts:21');
    expect(n.origin(frame('handle', 'file:///repo/dist/apps/web-bff/main.js', 10))).toBe('kernel/proxy');
  });

  it('can leave out the samples of start-up', () => {
    const s = summariseProfile(PROFILE, namer, { skipFirstUs: 450 });
    expect(s.totalMs).toBeCloseTo(0.4); // samples at 500, 600, 700, 800 µs
    expect(s.busyMs).toBeCloseTo(0.3);
  });

  it('names frames outside any bundle by their URL', () => {
    const plain = new FrameNamer();
    expect(plain.origin(frame('x', 'node:internal/streams/writable'))).toBe('node:internal');
    expect(plain.origin(frame('x', 'file:///w/node_modules/@nestjs/core/router/x.js'))).toBe('npm:@nestjs/core');
    expect(plain.origin(frame('(program)'))).toBe('(program)');
    expect(plain.origin(frame('writev'))).toBe('(native)');
  });
});
