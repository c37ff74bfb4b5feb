import fc from 'fast-check';
import { GatewayError } from '../errors';
import { hopByHopFilter } from './hop-by-hop';
import { clientResponseHeaders } from './forward-headers';
import { safeUpstreamPath } from './safe-path';
import { upstreamPathMapper } from './upstream-path';

const RUNS = { numRuns: 2_000 };
const piece = fc.oneof(
  fc.constantFrom('a', 'p1', '.', '..', '', '%2e', '%2E', '%2f', '%5c', '%25', '%00', '%c0%ae', '%ef%bc%8e', '\uff0e', ';', '..;', '\\', '%', '%zz', '~', '@', ':', '__sim', 'health', 'metrics'),
  fc.string({ maxLength: 3 }),
);
const rawTail = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('/'));
const query = fc.oneof(fc.constant(''), fc.string({ maxLength: 10 }).map((q) => `?${q}`));

/** Every way a backend might read a segment: as sent, percent-decoded once and twice, with `;` parameters cut. */
function readings(segment: string): string[] {
  const out = [segment, segment.split(';')[0]];
  try {
    const once = decodeURIComponent(segment);
    out.push(once, once.normalize('NFKC'));
    out.push(decodeURIComponent(once));
  } catch {
    // Not decodable: a backend would refuse it too.
  }
  return out;
}

describe('path normalisation (property-based)', () => {
  it('any raw URL is either refused with 400 or mapped under the upstream prefix with no segment any backend could read as . or ..', () => {
    fc.assert(
      fc.property(rawTail, query, (tail, q) => {
        let mapped: string;
        try {
          mapped = safeUpstreamPath(`/api/catalog/${tail}${q}`, '/api/catalog', '/v2');
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
          expect((error as GatewayError).status).toBe(400);
          return;
        }
        expect(mapped.startsWith('/v2/')).toBe(true);
        const path = mapped.split('?', 1)[0].slice('/v2'.length);
        const segments = path.split('/').slice(1);
        segments.forEach((segment, i) => {
          for (const reading of readings(segment)) {
            expect(['.', '..']).not.toContain(reading);
            expect(reading).not.toMatch(/[/\\\0]/);
          }
          // Only the last segment may be empty (a trailing slash): `//` is never forwarded.
          if (i < segments.length - 1) expect(segment).not.toBe('');
        });
      }),
      RUNS,
    );
  });

  it('the route mapper answers a path, 400 or 404, and never forwards an upstream internal', () => {
    const toUpstream = upstreamPathMapper({ prefix: '/api/catalog', paths: ['/products', '/products/:id', '/files/*'] });
    fc.assert(
      fc.property(rawTail, query, (tail, q) => {
        try {
          const mapped = toUpstream(`/api/catalog/${tail}${q}`);
          expect(mapped).not.toMatch(/(^|\/)__|^\/(health|metrics)(\/|$|\?)/);
          expect(mapped).toMatch(/^\/(products|files)(\/|$|\?)/);
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
          expect([400, 404]).toContain((error as GatewayError).status);
        }
      }),
      RUNS,
    );
  });
});

describe('header filtering (property-based)', () => {
  const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
  const connectionValue = fc.array(fc.tuple(fc.constantFrom('', ' ', '  '), token, fc.constantFrom('', ' ')), { maxLength: 5 }).map((tokens) => tokens.map((t) => t.join('')).join(','));

  it('every header the Connection header names, in any case or spacing, is hop-by-hop, and so are the standard ones', () => {
    fc.assert(
      fc.property(fc.oneof(connectionValue, fc.array(connectionValue, { maxLength: 3 })), (connection) => {
        const isHopByHop = hopByHopFilter(connection === '' ? undefined : connection);
        const listed = (Array.isArray(connection) ? connection.join(',') : connection).split(',').map((t) => t.trim()).filter(Boolean);
        for (const name of listed) expect(isHopByHop(name.toLowerCase())).toBe(true);
        for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authorization']) expect(isHopByHop(name)).toBe(true);
      }),
      RUNS,
    );
  });

  it('an upstream response never hands the client a hop-by-hop, listed or internal header', () => {
    const names = fc.oneof(token, fc.constantFrom('connection', 'keep-alive', 'transfer-encoding', 'server', 'x-powered-by', 'via', 'upgrade', 'content-type', 'etag'));
    fc.assert(
      fc.property(fc.dictionary(names, fc.string({ maxLength: 8 }), { maxKeys: 8 }), connectionValue, (upstream, connection) => {
        const headers = { ...upstream, connection };
        const out = clientResponseHeaders(headers, new Set(['x-internal']));
        const listed = connection.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
        for (const name of Object.keys(out)) {
          expect(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'server', 'x-powered-by', 'via', 'x-internal', ...listed]).not.toContain(name);
        }
      }),
      RUNS,
    );
  });
});
