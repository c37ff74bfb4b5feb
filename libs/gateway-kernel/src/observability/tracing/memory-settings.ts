import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings every BFF runs with, applied from code before the app loads so
 * that `node main.js` gets them everywhere (the image, `npm start`, the
 * bench), not only where a command line says so. Each one is a flag that V8
 * reads when it uses it, so setting it after start-up takes effect; the heap
 * limits themselves (`--max-semi-space-size`, `--max-old-space-size`) are
 * only read at start-up and are left to the command line (the image's CMD
 * holds the young generation at 8 MB, which Node 24 would otherwise size
 * from the host's memory, up to 64 MB). So is `--no-maglev`: V8 sets its
 * tiering up at start, and turned off later Maglev's absence cost CPU.
 */
export const MEMORY_SETTINGS: readonly string[] = [
  // Start-up allocates tens of MB that live on (module sources, the DI container, routes);
  // surviving scavenges, they make V8 double the young generation up to its cap (2 x 8 MB in
  // the image, 2 x 16 MB by default), all of it then resident while idle (~25 MB of a BFF's
  // idle RSS). Held at its first 2 x 1 MB until liftStartupMemoryLimit(); under load it then
  // grows as it always did (kept small, it costs throughput: more scavenges, more promoted to
  // the old generation).
  '--semi-space-growth-factor=1',
  // The next full GC comes once the old generation is 1.5 x what survived the last one. V8 picks
  // the factor from its heap limit: up to 4 x with the GB-sized limit of a big host (the bench's:
  // ~250 MB peak under wrk), 1.3-2 x in Node 20 with the small one of a pod limited to a few
  // hundred MB. Under load: ~3 x as many full GCs (~1-2 % of a core), ~150 MB peak.
  '--heap-growing-percent=50',
  // undici parses HTTP with llhttp compiled to WebAssembly. V8 re-compiles its hot functions with
  // its optimizing compiler on a worker thread, whose ~10 MB of compiler memory the allocator then
  // keeps. Left on V8's baseline code: ~1-2 µs per upstream response in a loop of undici requests,
  // nothing measurable per request through a BFF.
  '--no-wasm-dynamic-tiering',
  '--no-wasm-tier-up',
];

const YOUNG_GENERATION_GROWTH = 'semi-space-growth-factor';
/** V8's default, which liftStartupMemoryLimit() restores. */
const V8_YOUNG_GENERATION_GROWTH = 2;

/**
 * Per process, not per module instance: a built BFF applies the settings from
 * a prelude of its own (see tools/webpack/bff-webpack.config.js) before the
 * bundle that lifts the cap is even loaded.
 */
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for('@gateway/kernel:memory-settings')] ??= {
  applied: false,
  youngGenerationCapped: false,
}) as { applied: boolean; youngGenerationCapped: boolean };

export interface MemorySettingsOptions {
  /** Flags given on the command line (default: `process.execArgv`). */
  execArgv?: readonly string[];
  /** Environment (default: `process.env`; its `NODE_OPTIONS` is read). */
  env?: NodeJS.ProcessEnv;
  /** Sets one V8 flag (default: `v8.setFlagsFromString`; tests pass their own). */
  setFlag?: (flag: string) => void;
}

/** Forgets that the settings were applied (tests only). */
export function resetMemorySettingsForTest(): void {
  state.applied = false;
  state.youngGenerationCapped = false;
}

/**
 * Applies MEMORY_SETTINGS, except any flag already given to node (on its
 * command line or in `NODE_OPTIONS`): an operator's own choice wins. Returns
 * the flags it set; once per process, later calls set nothing. Must run
 * before the rest of the app loads, so each app's `tracing.ts` (imported
 * first by `main.ts`) calls it, and a built app's main.js calls it before
 * loading its vendor chunks.
 *
 * @example applyMemorySettings(); // in apps/web-bff/src/tracing.ts
 */
export function applyMemorySettings(options: MemorySettingsOptions = {}): string[] {
  if (state.applied) return [];
  state.applied = true;
  const setFlag = options.setFlag ?? setFlagsFromString;
  const given = new Set(
    [...(options.execArgv ?? process.execArgv), ...(options.env ?? process.env).NODE_OPTIONS?.split(/\s+/) ?? []]
      .filter((arg) => arg.startsWith('--'))
      .map(flagName),
  );
  const applied = MEMORY_SETTINGS.filter((flag) => !given.has(flagName(flag)));
  for (const flag of applied) setFlag(flag);
  state.youngGenerationCapped = applied.some((flag) => flagName(flag) === YOUNG_GENERATION_GROWTH);
  return applied;
}

/**
 * Start-up is over (the app listens): the young generation may grow with the
 * load again, as V8 would grow it. Does nothing unless applyMemorySettings
 * capped it. ObservabilityModule calls it once Fastify listens.
 *
 * @example fastify.addHook('onListen', (done) => (liftStartupMemoryLimit(), done()));
 */
export function liftStartupMemoryLimit(options: Pick<MemorySettingsOptions, 'setFlag'> = {}): void {
  if (!state.youngGenerationCapped) return;
  state.youngGenerationCapped = false;
  (options.setFlag ?? setFlagsFromString)(`--${YOUNG_GENERATION_GROWTH}=${V8_YOUNG_GENERATION_GROWTH}`);
}

/** `--no-wasm-tier-up` and `--wasm_tier_up=false` -> `wasm-tier-up`. */
function flagName(arg: string): string {
  return arg.replace(/^--(no-)?/, '').split('=')[0].replace(/_/g, '-');
}
