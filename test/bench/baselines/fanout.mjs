// Baseline: a hand-written aggregation, the floor a Node gateway can reach for
// web-bff's product page. Fastify, one undici Pool per HTTP upstream and one
// grpc-js client for inventory (made at start, as a team would by hand); the
// same four sources and the same dependency as web-bff's productPagePlan
// (product, stock over gRPC and reviews in parallel, related products once
// the product is known), the same per-source timeouts, the same body shape,
// and nothing else: no auth, limits, retries, breakers, route deadline,
// caching, coalescing, validation pipe, logging or metrics.
//   PORT, HOST, CATALOG_URL, REVIEWS_URL, INVENTORY_URL (http://host:port, gRPC without TLS)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Pool } from 'undici';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error('CATALOG_URL, REVIEWS_URL and INVENTORY_URL are required');
  return value;
};
const pool = (url) => new Pool(url, { connections: 128, pipelining: 1, keepAliveTimeout: 4_000 });
const catalog = pool(required('CATALOG_URL'));
const reviews = pool(required('REVIEWS_URL'));
const PRODUCT_ID = /^p\d{1,9}$/;

// The repo's contract, decoded as the kernel and the sim decode it: camelCase
// fields, every field present (proto3 leaves zeros off the wire), numbers for
// 64-bit fields.
const protoFile = join(dirname(fileURLToPath(import.meta.url)), '../../../proto/inventory/v1/inventory.proto');
const { inventory: inventoryPackage } = loadPackageDefinition(loadSync(protoFile, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true }));
const inventory = new inventoryPackage.v1.Inventory(new URL(required('INVENTORY_URL')).host, credentials.createInsecure());

async function getJson(upstream, path, timeoutMs) {
  const { statusCode, body } = await upstream.request({ method: 'GET', path, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`upstream answered ${statusCode}`);
  }
  return body.json();
}

function getAvailability(sku, timeoutMs) {
  return new Promise((resolve, reject) => {
    inventory.GetAvailability({ sku }, { deadline: Date.now() + timeoutMs }, (error, availability) => (error ? reject(error) : resolve(availability)));
  });
}

const app = Fastify({ logger: false });

app.get('/health/ready', async () => ({ status: 'ok' }));

app.get('/api/products/:id', async (request, reply) => {
  const { id } = request.params;
  if (!PRODUCT_ID.test(id)) return reply.code(400).send({ title: 'Bad Request', status: 400 });
  const missing = [];
  const productCall = getJson(catalog, `/products/${encodeURIComponent(id)}`, 700);
  const stockCall = getAvailability(id, 500).catch(() => {
    missing.push('stock');
    return undefined;
  });
  const reviewsCall = getJson(reviews, `/reviews?productId=${encodeURIComponent(id)}&limit=10`, 600).catch(() => {
    missing.push('reviews');
    return undefined;
  });
  const relatedCall = productCall.then(
    (p) =>
      p.relatedIds?.length
        ? getJson(catalog, `/products?ids=${p.relatedIds.join(',')}`, 500).then(
            (list) => list.items,
            () => {
              missing.push('related');
              return [];
            },
          )
        : [],
    () => [],
  );
  let product;
  try {
    product = await productCall;
  } catch {
    return reply.code(502).send({ title: 'Bad Gateway', status: 502 });
  }
  const [stock, reviewList, related] = await Promise.all([stockCall, reviewsCall, relatedCall]);
  const items = reviewList?.items ?? [];
  const average = items.length ? items.reduce((sum, r) => sum + r.rating, 0) / items.length : null;
  reply.header('x-aggregation-complete', String(missing.length === 0));
  return {
    product: {
      id: product.id,
      name: product.name,
      description: product.description,
      price: product.price,
      category: product.category,
      images: product.images,
      rating: product.rating,
      tags: product.tags,
      availability: stock ? { inStock: stock.available, stock: stock.stock } : null,
    },
    reviews: {
      count: reviewList?.total ?? items.length,
      averageRating: average === null ? null : Math.round(average * 10) / 10,
      items: items.map((r) => ({ id: r.id, rating: r.rating, title: r.title, body: r.body, createdAt: r.createdAt })),
    },
    related: related.map((p) => ({ id: p.id, name: p.name, price: p.price, image: p.images.medium, rating: p.rating })),
    meta: { complete: missing.length === 0, missing },
  };
});

const shutdown = () =>
  app
    .close()
    .then(() => Promise.all([catalog.close(), reviews.close(), inventory.close()]))
    .then(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

await app.listen({ port, host });
console.log(`fan-out baseline on http://${host}:${app.server.address().port}/api/products/:id`);
