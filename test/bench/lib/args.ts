/** Settings of one bench run, from the command line. */
export interface BenchOptions {
  quick: boolean;
  rounds: number;
  warmupRounds: number;
  secondsPerRun: number;
  warmupSeconds: number;
  connections: number;
  /** Scenario ids to run (all when empty): proxy, auth, aggregation, grpc, live, startup. */
  scenarios: string[];
  /** `auto`: profile only what missed a target; `always`; `never`. */
  profile: 'auto' | 'always' | 'never';
  profileSeconds: number;
  /** Starts per app for the start-up figures. */
  startups: number;
  outDir: string;
  /** CPU for the process under test, and for wrk and the upstreams. */
  gatewayCpu: number;
  loadCpu: number;
  /** Whole-run ceiling: the bench stops itself past it. */
  maxMinutes: number;
}

export const SCENARIOS = ['proxy', 'auth', 'aggregation', 'grpc', 'live', 'startup'] as const;

export const USAGE = `npm run bench -- [options]     (or: node -r @swc-node/register test/bench/run-bench.ts [options])
  --quick                 smoke run: 1 round of 2 s, 1 s warm-up, 1 start per app (grpc: 500 calls, live: 40 events)
  --rounds N              measured rounds (default 5)
  --duration S            seconds per run (default 5)
  --warmup S              seconds of the warm-up round (default 3; 0 skips it)
  --connections N         wrk connections (default 50)
  --scenarios a,b         any of ${SCENARIOS.join(', ')} (default all)
  --profile auto|always|never   CPU-profile what missed a target (default auto)
  --out DIR               where reports go (default bench-results)
  --max-minutes M         stop past this (default 25)`;

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    quick: false,
    rounds: 5,
    warmupRounds: 1,
    secondsPerRun: 5,
    warmupSeconds: 3,
    connections: 50,
    scenarios: [],
    profile: 'auto',
    profileSeconds: 10,
    startups: 3,
    outDir: 'bench-results',
    gatewayCpu: 0,
    loadCpu: 1,
    maxMinutes: 25,
  };
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const int = (min: number, max: number) => {
      const raw = value();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
      return n;
    };
    explicit.add(flag);
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--rounds':
        options.rounds = int(1, 50);
        break;
      case '--duration':
        options.secondsPerRun = int(1, 120);
        break;
      case '--warmup':
        options.warmupSeconds = int(0, 120);
        break;
      case '--connections':
        options.connections = int(1, 1000);
        break;
      case '--scenarios': {
        const names = value().split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
        if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
        options.scenarios = names;
        break;
      }
      case '--profile': {
        const v = value();
        if (v !== 'auto' && v !== 'always' && v !== 'never') throw new Error('--profile must be auto, always or never');
        options.profile = v;
        break;
      }
      case '--out':
        options.outDir = value();
        break;
      case '--max-minutes':
        options.maxMinutes = int(1, 120);
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (options.quick) {
    // Smoke: every stage runs once, briefly; explicit flags still win.
    if (!explicit.has('--rounds')) options.rounds = 1;
    if (!explicit.has('--duration')) options.secondsPerRun = 2;
    if (!explicit.has('--warmup')) options.warmupSeconds = 1;
    options.startups = 1;
    options.profileSeconds = 3;
  }
  options.warmupRounds = options.warmupSeconds > 0 ? 1 : 0;
  return options;
}

export function wants(options: BenchOptions, scenario: (typeof SCENARIOS)[number]): boolean {
  return options.scenarios.length === 0 || options.scenarios.includes(scenario);
}
