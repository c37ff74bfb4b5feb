import { ApiProperty } from '@nestjs/swagger';
import type { Product } from './mobile.types';

/** A product as a phone shows it in a list. */
export class CompactProduct {
  @ApiProperty({ example: 'p1' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '19.99 EUR', description: 'Amount with two decimals, then the currency' }) price: string;
  @ApiProperty({ description: 'Small image URL' }) image: string;
  @ApiProperty({ type: Boolean, nullable: true, description: "The catalog's, or live from inventory where the screen asks it (null when it cannot say)" })
  inStock: boolean | null;
}

/**
 * Phones get a price already formatted and the small image only. `inStock`
 * is the catalog's unless live stock is given (inventory's answer, or null
 * when it could not say).
 */
export const compactProduct = (p: Product, inStock: boolean | null = p.stock > 0): CompactProduct => ({
  id: p.id,
  name: p.name,
  price: `${p.price.amount.toFixed(2)} ${p.price.currency}`,
  image: p.images.small,
  inStock,
});

/** A 64px avatar: the image service sizes by query. */
export const smallAvatar = (url: string) => `${url}${url.includes('?') ? '&' : '?'}size=64`;
