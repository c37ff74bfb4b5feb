import { parseArgs } from './args';
import { nginxConf } from './nginx-conf';

describe('bench options', () => {
  it('defaults to 5 measured rounds of 5 s after a warm-up', () => {
    expect(parseArgs([])).toMatchObject({ rounds: 5, secondsPerRun: 5, warmupRounds: 1, warmupSeconds: 3, connections: 50, quick: false, profile: 'auto' });
  });

  it('--quick is one short round, but explicit flags still win', () => {
    expect(parseArgs(['--quick'])).toMatchObject({ rounds: 1, secondsPerRun: 2, warmupSeconds: 1, startups: 1 });
    expect(parseArgs(['--quick', '--rounds', '2', '--duration=3'])).toMatchObject({ rounds: 2, secondsPerRun: 3 });
  });

  it('--warmup 0 skips the warm-up round; scenarios are checked', () => {
    expect(parseArgs(['--warmup', '0']).warmupRounds).toBe(0);
    expect(parseArgs(['--scenarios', 'proxy,auth']).scenarios).toEqual(['proxy', 'auth']);
    expect(() => parseArgs(['--scenarios', 'proxy,nope'])).toThrow(/unknown scenario\(s\) nope/);
    expect(() => parseArgs(['--rounds', '0'])).toThrow(/--rounds must be an integer from 1/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown option/);
  });
});

describe('nginx baseline config', () => {
  const conf = nginxConf({ prefix: '/tmp/run/nginx', port: 18080, upstream: 'http://127.0.0.1:4002/', routePrefix: '/api/catalog' });

  it('listens on loopback only, one worker, in the foreground', () => {
    expect(conf).toContain('listen 127.0.0.1:18080;');
    expect(conf).toMatch(/^worker_processes 1;$/m);
    expect(conf).toMatch(/^daemon off;$/m);
  });

  it('keeps upstream connections alive and strips the route prefix like the BFF', () => {
    expect(conf).toContain('server 127.0.0.1:4002;');
    expect(conf).toMatch(/keepalive 128;/);
    expect(conf).toContain('location /api/catalog/ {');
    expect(conf).toContain('proxy_pass http://bench_upstream/;');
    expect(conf).toContain('proxy_set_header Connection "";');
  });

  it('keeps every file it writes under its prefix', () => {
    const paths = conf.match(/\s(\/[^\s;]+)/g)!.map((p) => p.trim()).filter((p) => !p.startsWith('/api') && p !== '/' && !p.startsWith('/health'));
    expect(paths.length).toBeGreaterThan(5);
    for (const p of paths) expect(p.startsWith('/tmp/run/nginx/')).toBe(true);
  });
});
