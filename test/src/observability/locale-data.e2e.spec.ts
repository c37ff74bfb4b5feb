import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, request, startBff, startSims, userToken, type BffName, type RunningSims } from '../support';

/**
 * Preloaded into each BFF: records every use of what maps ICU's locale data
 * into a process (~8 MB resident for the first date formatter, ~3 MB for a
 * collator), with the code that asked for it.
 */
const RECORDER = `
const { appendFileSync } = require('node:fs');
// "from" rather than "at": Jest would render each "at" line of a failure as a frame with its code.
const callers = () => new Error().stack.split('\\n').slice(3, 7).map((line) => line.replace(/^\\s*at /, '  from ')).join('\\n');
const record = (what) => appendFileSync(process.env.LOCALE_DATA_USES, what + '\\n' + callers() + '\\n');
for (const name of ['DateTimeFormat', 'Collator', 'NumberFormat', 'RelativeTimeFormat', 'PluralRules', 'ListFormat', 'DisplayNames', 'Segmenter']) {
  const original = Intl[name];
  if (typeof original !== 'function') continue;
  Intl[name] = new Proxy(original, {
    construct: (target, args, newTarget) => (record('Intl.' + name), Reflect.construct(target, args, newTarget)),
    apply: (target, self, args) => (record('Intl.' + name), Reflect.apply(target, self, args)),
  });
}
const localeCompare = String.prototype.localeCompare;
String.prototype.localeCompare = function (...args) { record('String#localeCompare'); return localeCompare.apply(this, args); };
`;

/**
 * No BFF builds an ICU formatter or collator to start or to serve: Nest's
 * loggers' eager date formatters are deferred by the build
 * (tools/webpack/lazy-date-time-format.loader.js), and the kernel orders
 * labels by code unit. Each use would add megabytes to every replica's idle RSS.
 */
describe('locale data a BFF never loads', () => {
  let sims: RunningSims;
  let dir: string;

  beforeAll(async () => {
    sims = await startSims();
    dir = mkdtempSync(join(tmpdir(), 'locale-data-'));
    writeFileSync(join(dir, 'recorder.js'), RECORDER);
  });

  afterAll(async () => {
    await sims?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const requests: Record<BffName, (url: string, token: string) => string[]> = {
    'web-bff': (url) => [`${url}/api/products/p1`, `${url}/api/catalog/products/p1`, `${url}/api/dashboard`],
    'mobile-bff': (url) => [`${url}/api/home`, `${url}/api/products?limit=2`],
    'partner-bff': (url) => [`${url}/v1/products?limit=2`, `${url}/v1/products/p1/availability`],
  };

  it.each(Object.keys(requests) as BffName[])('%s starts, serves and is scraped without Intl or localeCompare', async (name) => {
    const uses = join(dir, `${name}.txt`);
    writeFileSync(uses, '');
    // partner-bff takes API keys only: the identity sim's JWKS would be half a JWT config.
    const { identity, ...upstreams } = sims.urls;
    const bff = await startBff(name, name === 'partner-bff' ? upstreams : { identity, ...upstreams }, { NODE_OPTIONS: `--require ${join(dir, 'recorder.js')}`, LOCALE_DATA_USES: uses });
    try {
      const token = await userToken(sims.urls.identity);
      const headers = name === 'partner-bff' ? { 'x-api-key': 'demo-gold-key' } : bearer(token);
      for (const url of [`${bff.url}/health/ready`, ...requests[name](bff.url, token)]) {
        expect({ url, status: (await request(url, { headers })).status }).toEqual({ url, status: 200 });
      }
      expect((await request(`${bff.managementUrl}/metrics`)).status).toBe(200);
    } finally {
      await bff.stop();
    }
    expect(readFileSync(uses, 'utf8')).toBe('');
  });
});
