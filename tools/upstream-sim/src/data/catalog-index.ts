import { getSeed } from './seed';
import type { Product } from './seed.types';

/** Lookups and pre-serialised JSON over the seeded catalog, built once. */
export interface CatalogIndex {
  products: readonly Product[];
  byId: ReadonlyMap<string, Product>;
  /** `JSON.stringify(product)` for every product, computed at start. */
  jsonById: ReadonlyMap<string, string>;
  byCategory: ReadonlyMap<string, readonly Product[]>;
  /** The eight best-rated products in stock. */
  featured: readonly Product[];
}

let shared: CatalogIndex | undefined;

export function getCatalogIndex(): CatalogIndex {
  shared ??= buildCatalogIndex(getSeed().products);
  return shared;
}

function buildCatalogIndex(products: readonly Product[]): CatalogIndex {
  const byCategory = new Map<string, Product[]>();
  for (const product of products) {
    const list = byCategory.get(product.category) ?? [];
    list.push(product);
    byCategory.set(product.category, list);
  }
  const featured = products
    .filter((p) => p.stock > 0)
    .sort((a, b) => b.rating - a.rating || Number(a.id.slice(1)) - Number(b.id.slice(1)))
    .slice(0, 8);
  return {
    products,
    byId: new Map(products.map((p) => [p.id, p])),
    jsonById: new Map(products.map((p) => [p.id, JSON.stringify(p)])),
    byCategory,
    featured,
  };
}
