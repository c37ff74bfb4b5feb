import type { SourceMap } from './source-map';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that are read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  /** Functions by self time, busiest first. */
  topFunctions: ProfileEntry[];
  /** Self time rolled up by where the code lives: a package, a kernel/app folder, node internals, GC. */
  byOrigin: ProfileEntry[];
  /** The same, with time in Node's internals and native code charged to the JavaScript that called them. */
  byCaller: ProfileEntry[];
  /**
   * Each sample charged to the innermost kernel stage (`libs/gateway-kernel/src/<stage>`)
   * on its stack: what the stage does and what it calls; `(no kernel frame)` for the rest.
   */
  kernelStages: ProfileEntry[];
  /** The busiest Node-internal and native functions, each with the JavaScript that called them. */
  internalHotspots: (ProfileEntry & { callers: { name: string; ms: number }[] })[];
}

/** Names frames by where their code lives, mapping bundle positions through the source map when given. */
export class FrameNamer {
  constructor(
    private readonly bundles: Map<string, SourceMap> = new Map(),
    private readonly root = '',
  ) {}

  /** The original file of a frame (repo-relative when possible), or its URL. */
  file(frame: CallFrame): { file: string; line: number } {
    const path = frame.url.replace(/^file:\/\//, '');
    const map = this.bundles.get(path);
    const mapped = map?.lookup(frame.lineNumber, frame.columnNumber);
    const file = mapped ? mapped.source : path;
    const line = mapped ? mapped.line : frame.lineNumber;
    const relative = this.root && file.startsWith(this.root) ? file.slice(this.root.length).replace(/^\/+/, '') : file;
    return { file: relative.replace(/^webpack:\/\/\/?/, ''), line };
  }

  /** Where a frame's code lives: `(garbage collector)`, `node:internal`, `npm:fastify`, `kernel/proxy`, `app:web-bff`... */
  origin(frame: CallFrame): string {
    const { functionName, url } = frame;
    if (!url) {
      if (/^\((program|idle|garbage collector|root)\)$/.test(functionName)) return functionName;
      return '(native)';
    }
    if (url.startsWith('node:')) return 'node:internal';
    const { file } = this.file(frame);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (pkg) return `npm:${pkg[1]}`;
    const stage = /libs\/gateway-kernel\/src\/([^/]+)\//.exec(file);
    if (stage) return `kernel/${stage[1]}`;
    if (/libs\/gateway-kernel\/src\//.test(file)) return 'kernel';
    // The BFF builds bundle each npm package into its own file under vendor/.
    const vendored = /apps\/[^/]+\/vendor\/((?:@[^/]+\/)?[^/]+?)(?:\.js)?(?:\/|$)/.exec(file);
    if (vendored) return `npm:${vendored[1]}`;
    const app = /apps\/([^/]+)\//.exec(file);
    if (app) return `app:${app[1]}`;
    if (file.includes('webpack/')) return 'webpack runtime';
    return file;
  }

  label(frame: CallFrame): string {
    const { file, line } = this.file(frame);
    const name = frame.functionName || '(anonymous)';
    return frame.url ? `${name} ${shorten(file)}:${line + 1}` : name;
  }
}

function shorten(file: string): string {
  const pkg = /node_modules\/(.*)$/.exec(file);
  if (pkg) return pkg[1];
  // Source maps may name the folder the bundle was built in (a CI clone): keep the repo-relative part.
  const repo = /(?:^|\/)((?:libs|apps|tools)\/.*)$/.exec(file);
  return repo ? repo[1] : file;
}

/**
 * Self time per function and per origin, and the inclusive time of each kernel
 * stage, from a V8 CPU profile: where a busy gateway process spends its CPU.
 */
export function summariseProfile(
  profile: CpuProfile,
  namer = new FrameNamer(),
  options: { top?: number; /** Leave out samples taken before this many µs into the profile (start-up). */ skipFirstUs?: number } = {},
): ProfileSummary {
  const top = options.top ?? 15;
  const skip = options.skipFirstUs ?? 0;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfUs = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (delta <= 0 || at < skip) continue;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }

  let totalUs = 0;
  let idleUs = 0;
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  const callers = new Map<string, number>();
  const stages = new Map<string, number>();
  const originOf = memo((id) => {
    const node = byId.get(id);
    return node ? namer.origin(node.callFrame) : '(unknown)';
  });
  // Node internals and native frames stand for whoever called them.
  const callerOf: (id: number) => string = memo((id) => {
    const own = originOf(id);
    if (own !== 'node:internal' && own !== '(native)') return own;
    const up = parent.get(id);
    const above = up === undefined ? own : callerOf(up);
    return above === '(root)' ? own : above;
  });
  const isInternal = (id: number) => ['node:internal', '(native)'].includes(originOf(id));
  const callerLabel: (id: number) => string = memo((id) => {
    const up = parent.get(id);
    if (up === undefined) return '(root)';
    if (isInternal(up)) return callerLabel(up);
    const node = byId.get(up);
    return node && originOf(up) !== '(root)' ? namer.label(node.callFrame) : '(root)';
  });
  const hotspots = new Map<string, { us: number; callers: Map<string, number> }>();
  const stageOf: (id: number) => string = memo((id) => {
    const own = originOf(id);
    if (own.startsWith('kernel')) return own;
    const up = parent.get(id);
    return up === undefined ? '(no kernel frame)' : stageOf(up);
  });

  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const origin = originOf(id);
    if (origin === '(idle)') {
      idleUs += us;
      continue;
    }
    add(functions, namer.label(node.callFrame), us);
    add(origins, origin, us);
    add(callers, callerOf(id), us);
    add(stages, VM_ONLY.has(origin) ? origin : stageOf(id), us);
    if (isInternal(id)) {
      const spot = hotspots.get(namer.label(node.callFrame)) ?? { us: 0, callers: new Map<string, number>() };
      spot.us += us;
      add(spot.callers, callerLabel(id), us);
      hotspots.set(namer.label(node.callFrame), spot);
    }
  }

  const busyUs = totalUs - idleUs;
  const entries = (map: Map<string, number>, limit: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    topFunctions: entries(functions, top),
    byOrigin: entries(origins, top),
    byCaller: entries(callers, top),
    kernelStages: entries(stages, 50),
    internalHotspots: [...hotspots.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, 8)
      .map(([name, spot]) => ({
        name,
        ms: spot.us / 1000,
        share: busyUs > 0 ? spot.us / busyUs : 0,
        callers: [...spot.callers.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([caller, us]) => ({ name: caller, ms: us / 1000 })),
      })),
  };
}

/** Samples with no JavaScript of their own on the stack that matters. */
const VM_ONLY = new Set(['(garbage collector)', '(program)', '(root)']);

function memo<T>(fn: (id: number) => T): (id: number) => T {
  const cache = new Map<number, T>();
  return (id) => {
    if (!cache.has(id)) cache.set(id, fn(id));
    return cache.get(id)!;
  };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}
