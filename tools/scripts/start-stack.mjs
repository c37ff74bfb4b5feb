#!/usr/bin/env node
// `npm start`: the simulated upstreams and every BFF (each Nx project under
// apps/ tagged type:app, see bff-apps.js) from their built output, each in its
// own process, with a summary of where everything is. Ctrl-C (or SIGTERM)
// stops them all gracefully.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const { readBffs } = createRequire(import.meta.url)('./bff-apps.js');

const root = new URL('../..', import.meta.url).pathname;
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', DRAIN_DELAY_MS: process.env.DRAIN_DELAY_MS ?? '0' };
const host = '127.0.0.1';
// Each BFF on its configured port, or <NAME>_PORT (WEB_BFF_PORT=8001).
// Metrics on its configured management port, or <NAME>_MANAGEMENT_PORT; never on the clients' port.
const envOf = (bff, suffix) => process.env[`${bff.name.toUpperCase().replaceAll('-', '_')}_${suffix}`];
const bffs = readBffs(root).map((bff) => ({
  ...bff,
  port: Number(envOf(bff, 'PORT') ?? bff.port),
  managementPort: Number(envOf(bff, 'MANAGEMENT_PORT') ?? bff.managementPort ?? 0),
}));
const CREDENTIALS = { jwt: 'user JWT (bearer)', 'api-key': 'X-API-Key' };
const children = [];

function start(name, script, extraEnv = {}) {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  const relay = (stream, out) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(prefix + line + '\n');
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the stack`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url, name) {
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

/** The README's first examples, for the BFFs they are written for. */
function tryLines() {
  const port = (name) => bffs.find((b) => b.name === name)?.port;
  return [
    port('web-bff') && `    curl -s localhost:${port('web-bff')}/api/dashboard -H "authorization: Bearer $TOKEN"`,
    port('partner-bff') && `    curl -s 'localhost:${port('partner-bff')}/v1/products?limit=2' -H 'x-api-key: demo-gold-key'`,
  ].filter(Boolean);
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
  setTimeout(() => process.exit(code), 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  start('upstream-sim', 'dist/tools/upstream-sim/main.js', { HOST: host });
  await waitFor(`http://${host}:4000/health`, 'identity sim');
  for (const bff of bffs) {
    start(bff.name, bff.main, { PORT: String(bff.port), MANAGEMENT_PORT: String(bff.managementPort), HOST: process.env.HOST ?? '0.0.0.0' });
  }
  await Promise.all(bffs.map((b) => waitFor(`http://${host}:${b.port}/health/ready`, b.name)));
} catch (error) {
  console.error(error.message);
  stop(1);
}

if (stopping) await new Promise(() => {}); // start failed: stop() exits

const width = 70;
const row = (text = '') => `  │ ${text.padEnd(width - 2)} │`;
const rule = (left, right) => `  ${left}${'─'.repeat(width)}${right}`;
console.log(
  [
    '',
    rule('┌', '┐'),
    row('multi-BFF gateway is up'),
    rule('├', '┤'),
    ...bffs.map((b) => row(`${b.name.padEnd(12)} http://localhost:${b.port}   ${CREDENTIALS[b.auth]}`)),
    row('every BFF    /health/live  /health/ready  /docs'),
    row(`metrics      ${bffs.filter((b) => b.managementPort).map((b) => `:${b.managementPort}`).join(' ')} /metrics (management ports)`),
    row('sims         identity :4000  users :4001  catalog :4002'),
    row('             orders :4003  reviews :4004  inventory :4005 (gRPC)'),
    row(`state        ${process.env.REDIS_URL ? `Redis at ${process.env.REDIS_URL}` : 'in memory (set REDIS_URL for Redis)'}`),
    rule('├', '┤'),
    row('demo users     alice / alice-password    bob / bob-password'),
    row('demo API keys  demo-gold-key (gold: products:read orders:write)'),
    row('               demo-free-key (free: products:read)'),
    row('(development only: replace them through config, see README)'),
    rule('└', '┘'),
    '  Try:',
    `    TOKEN=$(curl -s localhost:4000/oauth/token -H 'content-type: application/json' \\`,
    `      -d '{"grant_type":"password","username":"alice","password":"alice-password"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    ...tryLines(),
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
