import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FrameNamer, summariseProfile, type CpuProfile } from './cpuprofile';
import type { ProfileReport } from './model';
import { SourceMap } from './source-map';
import { REPO_ROOT, type BffConfigName, type Stack } from './stack';
import { runWrk } from './wrk';

export interface ProfilePlan {
  id: string;
  title: string;
  reason: string;
  config: BffConfigName;
  /** Load to put on it while profiling; none profiles start-up only. */
  load?: { path: string; headers?: Record<string, string> };
}

function namer(): FrameNamer {
  const bundle = join(REPO_ROOT, 'dist/apps/web-bff/main.js');
  const map = SourceMap.forBundle(bundle);
  return new FrameNamer(map ? new Map([[bundle, map]]) : new Map(), REPO_ROOT);
}

/**
 * Runs one web-bff under `node --cpu-prof` (pinned like the gateway under
 * test), loads it with wrk, stops it (the profile is written at exit), and
 * summarises where the CPU went, leaving out start-up when it was loaded.
 */
export async function profileBff(
  plan: ProfilePlan,
  stack: Stack,
  settings: { seconds: number; connections: number; loadCpu: number },
  log: (line: string) => void,
): Promise<ProfileReport> {
  const dir = join(stack.runDir, 'profiles', plan.id);
  mkdirSync(dir, { recursive: true });
  const base = { id: plan.id, title: plan.title, reason: plan.reason };
  try {
    const spawnedAt = Date.now();
    const server = await stack.startBff(plan.config, {
      id: `profile-${plan.id}`,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=profile.cpuprofile'],
    });
    const loadedAt = Date.now();
    if (plan.load) {
      const { result } = await runWrk({
        url: `${server.url}${plan.load.path}`,
        seconds: settings.seconds,
        connections: settings.connections,
        cpu: settings.loadCpu,
        headers: plan.load.headers,
      });
      log(`profile ${plan.id}: ${result.rps.toFixed(0)} req/s under the profiler${result.valid ? '' : ` (${result.invalidReason})`}`);
    }
    await stack.stopServer(server.id);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file || !existsSync(join(dir, file))) return { ...base, error: 'node wrote no .cpuprofile (did the process exit cleanly?)' };
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    // The profile starts with the process: skip to when the load began.
    const skipFirstUs = plan.load ? Math.max(0, (loadedAt - spawnedAt - 50) * 1000) : 0;
    const path = join(dir, file);
    return { ...base, file: path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path, summary: summariseProfile(profile, namer(), { skipFirstUs }) };
  } catch (error) {
    return { ...base, error: (error as Error).message.split('\n')[0] };
  }
}
