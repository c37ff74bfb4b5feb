import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSims, type RunningSims } from '../../src/support/sims';
import { nginxConf } from './nginx-conf';
import { simEnv } from '../../src/support/bffs';
import { freePort } from '../../src/support/free-port';
import { BenchProcess, pinProcess, waitForOk } from './processes';
import { redisCommandCount } from './redis-info';
import { commandPath } from './tools';
import { imageNodeFlags } from './image-node-flags';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const PROXY_PREFIX = '/api/catalog';

/** A server under test: its process (whose CPU and memory are measured) and base URL. */
export interface Server {
  id: string;
  url: string;
  pid: number;
  /** For servers whose log size says something (BFFs). */
  proc?: BenchProcess;
  /** BFFs: where `GET /metrics` is (the management port, not `url`). */
  metricsUrl?: string;
}

/** Limits no bench run reaches: the limiter does all its work and never refuses. */
export const UNREACHABLE_LIMITS = JSON.stringify([
  { name: 'burst', ttlMs: 1_000, limit: 1_000_000_000 },
  { name: 'sustained', ttlMs: 60_000, limit: 1_000_000_000 },
]);

/**
 * web-bff configurations, each one process. `bare` turns off every stage the
 * config can turn off; the others add one stage at a time; `full` is how
 * production runs it (info logs with access logs, limiter, metrics).
 */
export const BFF_CONFIGS = {
  bare: {
    description: 'limiter off (THROTTLE_ENABLED=false), LOG_LEVEL=warn, ACCESS_LOG=false',
    env: { THROTTLE_ENABLED: 'false', LOG_LEVEL: 'warn', ACCESS_LOG: 'false' },
  },
  limiter: {
    description: 'in-memory limiter on (limits set out of reach), LOG_LEVEL=warn, ACCESS_LOG=false',
    env: { THROTTLE_ENABLED: 'true', THROTTLE_LIMITS: UNREACHABLE_LIMITS, LOG_LEVEL: 'warn', ACCESS_LOG: 'false' },
  },
  redis: {
    description: 'Redis limiter (REDIS_URL, limits out of reach), LOG_LEVEL=warn, ACCESS_LOG=false',
    env: { THROTTLE_ENABLED: 'true', THROTTLE_LIMITS: UNREACHABLE_LIMITS, LOG_LEVEL: 'warn', ACCESS_LOG: 'false' },
  },
  full: {
    description: 'production settings: in-memory limiter (limits out of reach), LOG_LEVEL=info, ACCESS_LOG=true, metrics',
    env: { THROTTLE_ENABLED: 'true', THROTTLE_LIMITS: UNREACHABLE_LIMITS, LOG_LEVEL: 'info', ACCESS_LOG: 'true' },
  },
} as const;
export type BffConfigName = keyof typeof BFF_CONFIGS;
export const BFF_APPS = ['web-bff', 'mobile-bff', 'partner-bff'] as const;
export type BffApp = (typeof BFF_APPS)[number];

/** Everything the bench starts, and stops again (on error and on Ctrl-C too). */
export class Stack {
  sims?: RunningSims;
  redisPort?: number;
  readonly servers = new Map<string, Server>();
  private readonly processes: BenchProcess[] = [];
  readonly logDir: string;
  readonly tmpDir: string;

  constructor(
    readonly runDir: string,
    readonly cpus: { gateway: number; load: number },
    private readonly log: (line: string) => void,
  ) {
    this.logDir = join(runDir, 'logs');
    this.tmpDir = join(runDir, 'tmp');
    mkdirSync(this.logDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  get simPid(): number {
    return this.sims?.process.child.pid ?? -1;
  }

  /** The simulated upstreams, all in one process, pinned with wrk. Tokens live 2 h. */
  async startSims(): Promise<RunningSims> {
    this.sims = await startSims(undefined, { SIM_TOKEN_TTL_S: '7200' });
    await pinProcess(this.simPid, this.cpus.load);
    this.servers.set('sim', { id: 'sim', url: this.sims.urls.catalog, pid: this.simPid });
    this.log(`sims up (pid ${this.simPid}, cpu ${this.cpus.load}): ${JSON.stringify(this.sims.urls)}`);
    return this.sims;
  }

  assertSimsRunning(): void {
    const proc = this.sims?.process;
    if (proc && !proc.running) {
      const how = proc.child.signalCode ?? `code ${proc.child.exitCode}`;
      throw new Error(`the upstream sim (pid ${proc.child.pid}) exited (${how}; was it stopped from outside?):\n${proc.logs().split('\n').slice(-10).join('\n')}`);
    }
  }

  /** A Redis of the bench's own (no persistence), pinned with wrk, so no one else's keys or load meet ours. */
  async startRedis(): Promise<number> {
    const port = await freePort();
    const proc = this.track(
      BenchProcess.start('redis', commandPath('redis-server'), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
        cpu: this.cpus.load,
        logFile: join(this.logDir, 'redis.log'),
      }),
    );
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        await redisCommandCount(port);
        break;
      } catch (error) {
        if (!proc.running || Date.now() > until) throw new Error(`redis-server did not start: ${(error as Error).message}\n${proc.tail()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.redisPort = port;
    this.log(`redis up on ${port} (pid ${proc.pid})`);
    return port;
  }

  async startNginx(): Promise<Server> {
    const prefix = join(this.tmpDir, 'nginx');
    for (const dir of ['', 'client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir), { recursive: true });
    // Workers drop to an unprivileged user when started as root: let them write their temp files.
    for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) chmodSync(join(prefix, dir), 0o777);
    const port = await freePort();
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(conf, nginxConf({ prefix, port, upstream: this.sims!.urls.catalog, routePrefix: PROXY_PREFIX }));
    const proc = this.track(
      BenchProcess.start('nginx', commandPath('nginx'), ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], {
        cpu: this.cpus.gateway,
        logFile: join(this.logDir, 'nginx.log'),
      }),
    );
    return this.serve('nginx', proc, `http://127.0.0.1:${port}`);
  }

  async startReplyFrom(): Promise<Server> {
    const port = await freePort();
    const proc = this.track(
      BenchProcess.start('reply-from', process.execPath, [join(__dirname, '..', 'baselines', 'reply-from-proxy.mjs')], {
        cpu: this.cpus.gateway,
        cwd: REPO_ROOT,
        logFile: join(this.logDir, 'reply-from.log'),
        env: { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', UPSTREAM_URL: this.sims!.urls.catalog, ROUTE_PREFIX: PROXY_PREFIX },
      }),
    );
    return this.serve('reply-from', proc, `http://127.0.0.1:${port}`);
  }

  async startFanout(): Promise<Server> {
    const port = await freePort();
    const proc = this.track(
      BenchProcess.start('fanout', process.execPath, [join(__dirname, '..', 'baselines', 'fanout.mjs')], {
        cpu: this.cpus.gateway,
        cwd: REPO_ROOT,
        logFile: join(this.logDir, 'fanout.log'),
        env: { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', CATALOG_URL: this.sims!.urls.catalog, REVIEWS_URL: this.sims!.urls.reviews, INVENTORY_URL: this.sims!.urls.inventory },
      }),
    );
    return this.serve('fanout', proc, `http://127.0.0.1:${port}`);
  }

  /** The environment a built BFF runs with here: the sims as upstreams, no drain delay, no management port unless `extra` sets one. */
  bffEnv(app: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
    const sims = simEnv(this.sims!.urls);
    if (app === 'partner-bff') {
      // partner-bff takes API keys only: a JWKS URL alone would be half a JWT config.
      delete sims.JWKS_URL;
      delete sims.JWT_ISSUER;
    }
    return { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), MANAGEMENT_PORT: '0', DRAIN_DELAY_MS: '0', SHUTDOWN_GRACE_MS: '5000', ...sims, ...extra };
  }

  /**
   * One BFF process (web-bff unless `app` says) in a named configuration,
   * `env` on top; node runs with the image's flags, then `nodeArgs` (e.g. --cpu-prof), before the script.
   */
  async startBff(config: BffConfigName, options: { id?: string; nodeArgs?: string[]; app?: BffApp; env?: Record<string, string> } = {}): Promise<Server> {
    const id = options.id ?? `bff-${config}`;
    const app = options.app ?? 'web-bff';
    const [port, managementPort] = [await freePort(), await freePort()];
    const extra: Record<string, string> = { ...BFF_CONFIGS[config].env, ...options.env, MANAGEMENT_PORT: String(managementPort) };
    if (config === 'redis') {
      if (!this.redisPort) throw new Error('start Redis before the Redis-limiter BFF');
      extra.REDIS_URL = `redis://127.0.0.1:${this.redisPort}`;
    }
    const proc = this.track(
      BenchProcess.start(id, process.execPath, [...imageNodeFlags(), ...(options.nodeArgs ?? []), `dist/apps/${app}/main.js`], {
        cpu: this.cpus.gateway,
        cwd: REPO_ROOT,
        logFile: join(this.logDir, `${id}.log`),
        env: this.bffEnv(app, port, extra),
      }),
    );
    const server = await this.serve(id, proc, `http://127.0.0.1:${port}`);
    server.metricsUrl = `http://127.0.0.1:${managementPort}/metrics`;
    return server;
  }

  /** Starts a process for a one-off measurement (start-up, profiles); stopped with the stack if still running. */
  track(proc: BenchProcess): BenchProcess {
    this.processes.push(proc);
    return proc;
  }

  private async serve(id: string, proc: BenchProcess, url: string): Promise<Server> {
    await waitForOk(`${url}/health/ready`, proc, { timeoutMs: 30_000 });
    const server: Server = { id, url, pid: proc.pid, proc };
    this.servers.set(id, server);
    this.log(`${id} ready at ${url} (pid ${proc.pid}, cpu ${this.cpus.gateway})`);
    return server;
  }

  async stopServer(id: string): Promise<void> {
    const server = this.servers.get(id);
    await server?.proc?.stop();
    this.servers.delete(id);
  }

  /** Stops everything the bench started, newest first, then the sims. */
  async stopAll(): Promise<void> {
    for (const proc of [...this.processes].reverse()) {
      try {
        await proc.stop();
      } catch {
        // Keep stopping the rest.
      }
    }
    await this.sims?.stop().catch(() => undefined);
  }
}

/** Verified tokens kept by the kernel (read from its source, so the bench follows a change). */
export function tokenCacheSize(): number {
  const file = join(REPO_ROOT, 'libs/gateway-kernel/src/auth/auth.constants.ts');
  const match = existsSync(file) ? /DEFAULT_TOKEN_CACHE_SIZE\s*=\s*([\d_]+)/.exec(readFileSync(file, 'utf8')) : null;
  return match ? Number(match[1].replace(/_/g, '')) : 10_000;
}
