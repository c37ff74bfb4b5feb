import type { Product } from './mobile.types';

/** Phones get a price already formatted and the small image only. */
export const compactProduct = (p: Product) => ({
  id: p.id,
  name: p.name,
  price: `${p.price.amount.toFixed(2)} ${p.price.currency}`,
  image: p.images.small,
  inStock: p.stock > 0,
});

/** A 64px avatar: the image service sizes by query. */
export const smallAvatar = (url: string) => `${url}${url.includes('?') ? '&' : '?'}size=64`;
