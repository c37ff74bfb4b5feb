/**
 * Summarises a `.cpuprofile` (node --cpu-prof) the way the bench report does:
 * top self-time functions, self time by origin, the busiest Node internals
 * with their callers, and the innermost kernel stage, mapped through a
 * bundle's source map.
 *
 *   node -r @swc-node/register test/bench/analyse-profile.ts <file.cpuprofile> [dist/apps/web-bff/main.js] [--skip-ms N] [--top N]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FrameNamer, summariseProfile, type CpuProfile } from './lib/cpuprofile';
import { renderProfile } from './lib/report-writer';
import { SourceMap } from './lib/source-map';

const args = process.argv.slice(2);
const skipAt = args.indexOf('--skip-ms');
const skipMs = skipAt === -1 ? 0 : Number(args.splice(skipAt, 2)[1]);
const topAt = args.indexOf('--top');
const top = topAt === -1 ? undefined : Number(args.splice(topAt, 2)[1]);
const [file, bundle = 'dist/apps/web-bff/main.js'] = args;
if (!file || !Number.isFinite(skipMs) || (top !== undefined && !(top > 0))) {
  console.error('usage: analyse-profile.ts <file.cpuprofile> [bundle.js] [--skip-ms N] [--top N]');
  process.exit(2);
}
const bundlePath = resolve(bundle);
const map = SourceMap.forBundle(bundlePath);
const namer = new FrameNamer(map ? new Map([[bundlePath, map]]) : new Map(), resolve('.'));
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const summary = summariseProfile(profile, namer, { skipFirstUs: skipMs * 1000, top });
console.log(renderProfile({ id: 'cli', title: file, reason: `analysed by hand${map ? `, mapped through ${bundle}.map` : ''}`, file, summary }));
