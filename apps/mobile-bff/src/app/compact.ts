import type { Product } from './mobile.types';

/**
 * Phones get a price already formatted and the small image only. `inStock`
 * is the catalog's unless live stock is given (inventory's answer, or null
 * when it could not say).
 */
export const compactProduct = (p: Product, inStock: boolean | null = p.stock > 0) => ({
  id: p.id,
  name: p.name,
  price: `${p.price.amount.toFixed(2)} ${p.price.currency}`,
  image: p.images.small,
  inStock,
});

/** A 64px avatar: the image service sizes by query. */
export const smallAvatar = (url: string) => `${url}${url.includes('?') ? '&' : '?'}size=64`;
