import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { JwksFetcher, JwksUnavailableError } from './jwks-fetcher';

const KEYS = [{ kty: 'EC', kid: 'k1' }];

describe('JwksFetcher', () => {
  let server: Server;
  let url: string;
  let mode: 'ok' | 'down' | 'hang' | 'huge' | 'not-json';
  let hits: number;
  const hung: ServerResponse[] = [];

  beforeEach(async () => {
    mode = 'ok';
    hits = 0;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    server = createServer((_req, res) => {
      hits++;
      if (mode === 'hang') return void hung.push(res);
      if (mode === 'down') return void res.writeHead(500).end('boom');
      if (mode === 'not-json') return void res.writeHead(200).end('<html>');
      if (mode === 'huge') return void res.writeHead(200).end(JSON.stringify({ keys: KEYS, pad: 'x'.repeat(300_000) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: KEYS }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    hung.splice(0).forEach((res) => res.destroy());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('shares one fetch between concurrent callers', async () => {
    const fetcher = new JwksFetcher(url, { timeoutMs: 1_000, cooldownMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 10 }, () => fetcher.get()));
    expect(results.every((r) => r.keys[0].kid === 'k1')).toBe(true);
    expect(hits).toBe(1);
  });

  it('asks the network again only after the cooldown', async () => {
    const fetcher = new JwksFetcher(url, { timeoutMs: 1_000, cooldownMs: 100 });
    await fetcher.get();
    await fetcher.get();
    expect(hits).toBe(1);
    await sleep(120);
    await fetcher.get();
    expect(hits).toBe(2);
  });

  it('gives up on a hanging endpoint at the timeout', async () => {
    mode = 'hang';
    const fetcher = new JwksFetcher(url, { timeoutMs: 200, cooldownMs: 60_000 });
    const started = Date.now();
    await expect(fetcher.get()).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps serving the last good key set when a refresh fails', async () => {
    const fetcher = new JwksFetcher(url, { timeoutMs: 500, cooldownMs: 50 });
    await fetcher.get();
    mode = 'down';
    await sleep(60);
    await expect(fetcher.get()).resolves.toMatchObject({ keys: KEYS });
    expect(hits).toBe(2);
  });

  it('fails fast, without a fetch, during the backoff after a failure', async () => {
    mode = 'down';
    const fetcher = new JwksFetcher(url, { timeoutMs: 500, cooldownMs: 60_000, failureBackoffMs: 100 });
    await expect(fetcher.get()).rejects.toBeInstanceOf(JwksUnavailableError);
    await expect(fetcher.get()).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(hits).toBe(1);
    mode = 'ok';
    await sleep(120);
    await expect(fetcher.get()).resolves.toMatchObject({ keys: KEYS });
    expect(hits).toBe(2);
  });

  it('refuses an oversized or malformed document', async () => {
    mode = 'huge';
    await expect(new JwksFetcher(url, { timeoutMs: 1_000, cooldownMs: 10 }).get()).rejects.toBeInstanceOf(JwksUnavailableError);
    mode = 'not-json';
    await expect(new JwksFetcher(url, { timeoutMs: 1_000, cooldownMs: 10 }).get()).rejects.toBeInstanceOf(JwksUnavailableError);
  });
});
