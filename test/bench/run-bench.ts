/**
 * `npm run bench`: the gateway against its baselines, in one run, on this
 * machine. Starts the sims, a Redis, nginx, the two hand-written baselines
 * and web-bff in several configurations (all on 127.0.0.1), loads each with
 * wrk round after round; runs the kernel's gRPC and HTTP sources side by
 * side in a process of its own, and mobile-bff's live fan-out to 1,000
 * WebSocket clients; and writes bench-results/<time>/report.{md,json}
 * and two SVG charts (copied to bench-results/latest.{md,json} and
 * latest-{rps,latency}.svg). Targets are reported, never enforced.
 * See test/bench/README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, wants, type BenchOptions } from './lib/args';
import { figureTargets, ratioTargets, TARGETS, valueTargets } from './lib/bench-targets';
import { runGrpcSource } from './lib/grpc-source';
import { runLiveFanout } from './lib/live-fanout';
import type { BenchReport, GrpcSourceReport, LiveFanoutReport, ProfileReport, ScenarioReport, StartupReport, TargetResult } from './lib/model';
import { profileBff, type ProfilePlan } from './lib/profiling';
import { probe, type Findings } from './lib/probes';
import { renderMarkdown, writeReport } from './lib/report-writer';
import { runScenario } from './lib/runner';
import { aggregatedPaths, aggregationScenario, AGGREGATED_PATH, authScenario, proxyScenario, PROXY_PATH, type ScenarioSpec } from './lib/scenarios';
import { REPO_ROOT, Stack, tokenCacheSize, type Server } from './lib/stack';
import { measureStartup } from './lib/startup';
import { evaluateFigureTarget, evaluateRatioTarget, evaluateStartupTargets, evaluateValueTarget } from './lib/targets';
import { commandPath, ensureCommands, versionOf } from './lib/tools';


const started = Date.now();
const log = (line: string) => console.log(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);

async function mintTokens(identityUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const until = Date.now() + 180_000;
  const worker = async () => {
    while (next < count) {
      if (Date.now() > until) throw new Error(`minting ${count} tokens took over 180 s`);
      next++;
      const res = await fetch(`${identityUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', username: 'alice', password: 'alice-password' }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as { access_token?: string };
      if (res.status !== 200 || !body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
      tokens.push(body.access_token);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tokens.slice(0, count);
}

/** What to profile for each missed target (one profile may explain several). */
function profilePlans(targets: TargetResult[], options: BenchOptions, token: string): ProfilePlan[] {
  const missed = new Set(targets.filter((t) => t.status === 'not met' || options.profile === 'always').map((t) => t.id));
  const auth = { authorization: `Bearer ${token}` };
  const plans: ProfilePlan[] = [];
  const why = (ids: string[]) => {
    const hit = ids.filter((id) => missed.has(id));
    return hit.length ? `${options.profile === 'always' ? 'asked for (--profile always); ' : ''}target${hit.length > 1 ? 's' : ''} ${hit.join(', ')}${options.profile === 'always' ? '' : ' not met'}` : undefined;
  };
  const add = (ids: string[], plan: Omit<ProfilePlan, 'reason'>) => {
    const reason = why(ids);
    if (reason) plans.push({ ...plan, reason });
  };
  add(['proxy-rps', 'proxy-p99'], { id: 'proxy', title: 'web-bff proxy route under load (production settings, with JWT)', config: 'full', load: { path: PROXY_PATH, headers: auth } });
  add(['proxy-bare'], { id: 'proxy-bare', title: 'web-bff proxy route under load (bare, no token)', config: 'bare', load: { path: PROXY_PATH } });
  add(['proxy-redis'], { id: 'proxy-redis', title: 'web-bff proxy route with the Redis limiter under load (no token)', config: 'redis', load: { path: PROXY_PATH } });
  add(['aggregation', 'aggregation-20ms'], { id: 'aggregation', title: 'web-bff product page under load (production settings, with JWT)', config: 'full', load: { path: AGGREGATED_PATH, headers: auth } });
  add(['redis-limiter', 'redis-commands'], { id: 'redis-limiter', title: 'web-bff proxy route with the Redis limiter under load (with JWT)', config: 'redis', load: { path: PROXY_PATH, headers: auth } });
  add(['startup-time'], { id: 'startup', title: 'web-bff start-up to ready (production settings)', config: 'full' });
  return plans;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const deadline = started + options.maxMinutes * 60_000;
  process.chdir(REPO_ROOT);
  if (cpus().length < 2) throw new Error('the bench pins the gateway and the load to different CPUs: it needs at least 2');

  ensureCommands(['wrk', 'nginx', 'redis-server', 'taskset'], log);
  const missing = ['dist/apps/web-bff/main.js', 'dist/apps/mobile-bff/main.js', 'dist/apps/partner-bff/main.js', 'dist/tools/upstream-sim/main.js'].filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}. Run through Nx (npm run bench), which builds them first.`);

  const outRoot = resolve(options.outDir);
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const runDir = join(outRoot, stamp);
  mkdirSync(runDir, { recursive: true });
  const stack = new Stack(runDir, { gateway: options.gatewayCpu, load: options.loadCpu }, log);

  let stopping = false;
  let stopCode = 0;
  const emergencyStop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    stopCode = code;
    log(`${why}: stopping everything the bench started`);
    await stack.stopAll();
    process.exit(code);
  };
  process.once('SIGINT', () => void emergencyStop('interrupted', 130));
  process.once('SIGTERM', () => void emergencyStop('terminated', 143));
  const watchdog = setTimeout(() => void emergencyStop(`past --max-minutes ${options.maxMinutes}`, 2), options.maxMinutes * 60_000 + 60_000);

  const notes: string[] = [];
  const scenarios: ScenarioReport[] = [];
  let startup: StartupReport[] = [];
  let grpcSource: GrpcSourceReport | undefined;
  let liveFanout: LiveFanoutReport | undefined;
  const profiles: ProfileReport[] = [];
  let findings: Findings = { features: {}, blockers: {}, caveats: {}, notes: [] };
  let token = '';
  const loadAverageAtStart = loadavg();

  try {
    const sims = await stack.startSims();

    if (wants(options, 'startup')) {
      log('start-up: each BFF started alone, pinned, to /health/ready');
      startup = await measureStartup(stack, options.startups, log);
    }

    const runProxy = wants(options, 'proxy');
    const runAuth = wants(options, 'auth');
    const runAggregation = wants(options, 'aggregation');
    if (runProxy || runAuth || runAggregation) {
      token = (await mintTokens(sims.urls.identity, 1))[0];
      const cacheSize = tokenCacheSize();
      const rotatingCount = Math.max(2 * cacheSize, 1_000);
      let tokenFile = '';
      let rotating: string[] = [];
      if (runAuth) {
        log(`minting ${rotatingCount} tokens (2x the ${cacheSize}-entry verified-token cache)`);
        rotating = await mintTokens(sims.urls.identity, rotatingCount);
        tokenFile = join(stack.tmpDir, 'tokens.txt');
        writeFileSync(tokenFile, `${rotating.join('\n')}\n`);
      }

      if (runProxy) await stack.startRedis();
      const servers: Record<string, Server> = { sim: stack.servers.get('sim')! };
      const start = async (id: string, fn: () => Promise<Server>) => {
        try {
          servers[id] = await fn();
        } catch (error) {
          notes.push(`${id} did not start, so its variants were not run: ${(error as Error).message.split('\n')[0]}`);
          log(`${id} did not start: ${(error as Error).message}`);
        }
      };
      if (runProxy) {
        await start('nginx', () => stack.startNginx());
        await start('reply-from', () => stack.startReplyFrom());
        await start('bff-limiter', () => stack.startBff('limiter'));
        await start('bff-redis', () => stack.startBff('redis'));
      }
      if (runAggregation) await start('fanout', () => stack.startFanout());
      await start('bff-bare', () => stack.startBff('bare'));
      if (runProxy || runAggregation) await start('bff-full', () => stack.startBff('full'));

      findings = await probe(stack, servers, token, rotating.length ? [rotating[0], rotating[rotating.length >> 1], rotating[rotating.length - 1]] : []);
      for (const [k, v] of Object.entries(findings.features)) log(`found: ${k}: ${v}`);

      const rotation = new Map<string, number>();
      const specs: ScenarioSpec[] = [];
      if (runProxy) specs.push(proxyScenario(servers, token));
      if (runAuth) specs.push(authScenario(servers, token, tokenFile, rotatingCount, cacheSize));
      if (runAggregation) {
        const pathFile = join(stack.tmpDir, 'product-paths.txt');
        writeFileSync(pathFile, `${aggregatedPaths().join('\n')}\n`);
        specs.push(aggregationScenario(servers, token, 0, pathFile), aggregationScenario(servers, token, 20, pathFile));
      }
      for (const spec of specs) {
        const runnable = { ...spec, variants: spec.variants.filter((v) => v.server !== undefined) };
        const skipped = spec.variants.length - runnable.variants.length;
        if (skipped) notes.push(`${spec.id}: ${skipped} variant(s) not run (their server did not start).`);
        if (!runnable.variants.some((v) => v.id === spec.baselineId)) {
          notes.push(`${spec.id}: baseline did not start; scenario skipped.`);
          continue;
        }
        log(`scenario ${spec.id}: ${runnable.variants.map((v) => v.id).join(', ')}`);
        scenarios.push(await runScenario(runnable, { stack, options, log, deadline, rotation, redisCommandsSent: findings.redisCommandsSent }));
      }
      for (const id of Object.keys(servers)) if (id !== 'sim') await stack.stopServer(id);
    }

    // After Ctrl-C the stack is stopping: a scenario that reports its failure instead of throwing must not start the next one.
    if (wants(options, 'grpc') && !stopping) {
      log('grpc: a one-source plan over HTTP and over gRPC, the kernel pinned, rounds alternating which goes first');
      grpcSource = await runGrpcSource(stack, options, log, deadline);
    }
    if (wants(options, 'live') && !stopping) {
      log('live: one order change fanned out to WebSocket clients of mobile-bff');
      liveFanout = await runLiveFanout(stack, options, log, deadline);
    }

    // Nor may profiles start, and a scenario cut short measured nothing worth a report.
    if (stopping) return stopCode;
    const targets = [
      ...ratioTargets(findings).map((t) => evaluateRatioTarget(t, scenarios)),
      ...valueTargets(findings).map((t) => evaluateValueTarget(t, scenarios)),
      ...evaluateStartupTargets(startup, TARGETS.startupMs, TARGETS.idleRssMb),
      ...figureTargets().map((t) => evaluateFigureTarget(t, { grpcSource, liveFanout })),
    ];
    if (options.profile !== 'never') {
      for (const plan of profilePlans(targets, options, token)) {
        if (plan.load && !token) continue;
        log(`profiling: ${plan.title} (${plan.reason})`);
        profiles.push(await profileBff(plan, stack, { seconds: options.profileSeconds, connections: options.connections, loadCpu: options.loadCpu }, log));
      }
      const unprofiled = targets.filter((t) => (t.id === 'grpc-source' || t.id === 'live-fanout') && t.status === 'not met').map((t) => t.id);
      if (unprofiled.length) {
        notes.push(`${unprofiled.join(', ')} not met: the bench profiles web-bff under wrk only; run that scenario's process under node --cpu-prof (lib/grpc-source.worker.ts, or mobile-bff for live) and read the profile with analyse-profile.ts.`);
      }
      const memory = targets.filter((t) => (t.id === 'idle-rss' || t.id === 'peak-rss') && t.status === 'not met').map((t) => t.id);
      if (memory.length) {
        notes.push(`${memory.join(', ')} over target: the bench takes no heap profile (a CPU profile does not explain memory); use node --heapsnapshot-signal on an idle BFF, or on one under load for the peak.`);
      }
    }

    const report: BenchReport = {
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date().toISOString(),
      durationS: (Date.now() - started) / 1000,
      quick: options.quick,
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? 'unknown',
        memoryGb: totalmem() / 2 ** 30,
        node: process.versions.node,
        wrk: versionOf('wrk', ['--version']).replace(/ Copyright.*$/, ''),
        nginx: versionOf(commandPath('nginx'), ['-v']),
        kernel: versionOf('uname', ['-r']),
        loadAverageAtStart,
      },
      settings: {
        rounds: options.rounds,
        warmupRounds: options.warmupRounds,
        secondsPerRun: options.secondsPerRun,
        warmupSeconds: options.warmupSeconds,
        connections: options.connections,
        wrkThreads: 1,
        pinning: `the process under test (BFF, nginx, the baselines) on CPU ${options.gatewayCpu} (taskset -c ${options.gatewayCpu}, all threads); wrk, the upstream sims and the bench's Redis on CPU ${options.loadCpu}. Each variant gets one core to itself, and what loads it and answers it share the other, equally for all. The "direct" variant has no process on CPU ${options.gatewayCpu}: its figure is the sim's and wrk's core, a ceiling only.`,
      },
      features: findings.features,
      scenarios,
      startup,
      grpcSource,
      liveFanout,
      targets,
      profiles,
      notes: [
        ...findings.notes,
        ...notes,
        'wrk counts non-2xx answers through a Lua response() callback (wrk/count.lua), which costs wrk some throughput; it is the same for every variant, but it lowers the "direct" ceiling most, since there wrk and the sim are the only work.',
        'Peak RSS is each process\'s VmHWM when its scenario ended; a process serving several scenarios (bff-bare, bff-full) carries the peak of all it served so far.',
      ],
    };
    const written = writeReport(runDir, report, outRoot);
    console.log(`\n${renderMarkdown(report).split('\n## ')[0]}`);
    console.log(`\n## ${renderMarkdown(report).split('\n## ')[1]}`);
    log(`report: ${written.markdown} (and ${written.json}, charts ${written.charts.join(', ')}; copies at ${join(options.outDir, 'latest.md')} and beside it)`);
    return 0;
  } finally {
    clearTimeout(watchdog);
    await stack.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
