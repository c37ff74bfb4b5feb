// Baseline: bare Fastify with @fastify/reply-from (undici underneath), the
// pass-through a Node gateway gets with no stages at all. Same client-facing
// prefix as web-bff's proxy route; no logging.
//   PORT, HOST, UPSTREAM_URL (the catalog), ROUTE_PREFIX (default /api/catalog)
import Fastify from 'fastify';
import replyFrom from '@fastify/reply-from';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const prefix = process.env.ROUTE_PREFIX ?? '/api/catalog';
const upstream = process.env.UPSTREAM_URL;
if (!upstream) throw new Error('UPSTREAM_URL is required');

const app = Fastify({ logger: false });
// One keep-alive pool to the upstream, made at start (as the kernel does).
await app.register(replyFrom, { base: upstream, undici: { connections: 128, pipelining: 1, keepAliveTimeout: 4_000 } });

app.get('/health/ready', async () => ({ status: 'ok' }));
app.get(`${prefix}/*`, (request, reply) => reply.from(request.url.slice(prefix.length)));

const shutdown = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

await app.listen({ port, host });
console.log(`reply-from baseline on http://${host}:${app.server.address().port}${prefix} -> ${upstream}`);
