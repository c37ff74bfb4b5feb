import { ApiProperty, PickType } from '@nestjs/swagger';
import type { AggregationResult, PlanResults } from '@gateway/kernel';
import { Product } from '../catalog.types';
import { Money } from '../money/money.dto';
import type { productPagePlan } from './product-page.plan';

/** Live stock, from the inventory service. */
export class ProductAvailability {
  @ApiProperty() inStock: boolean;
  @ApiProperty({ type: 'integer', minimum: 0 }) stock: number;
}

/** The catalog's product as the page shows it: its stock comes live from inventory instead. */
export class ProductDetail extends PickType(Product, ['id', 'name', 'description', 'price', 'category', 'images', 'rating', 'tags'] as const) {
  @ApiProperty({ type: ProductAvailability, nullable: true, description: 'Null while the inventory service cannot say (see meta)' })
  availability: ProductAvailability | null;
}

export class ReviewItem {
  @ApiProperty() id: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) rating: number;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ReviewSummary {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Reviews in all, beyond the ones listed' }) count: number;
  @ApiProperty({ type: 'number', nullable: true, minimum: 1, maximum: 5, description: 'Of the listed reviews, one decimal; null without reviews' })
  averageRating: number | null;
  @ApiProperty({ type: [ReviewItem], maxItems: 10 }) items: ReviewItem[];
}

export class RelatedProduct {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: Money }) price: Money;
  @ApiProperty({ description: 'Medium image URL' }) image: string;
  @ApiProperty({ minimum: 0, maximum: 5 }) rating: number;
}

/** The SPA's product page (GET /api/products/:id), before `meta`. */
export class ProductPage {
  @ApiProperty({ type: ProductDetail }) product: ProductDetail;
  @ApiProperty({ type: ReviewSummary, description: 'Empty when the reviews service is missing (see meta)' }) reviews: ReviewSummary;
  @ApiProperty({ type: [RelatedProduct] }) related: RelatedProduct[];
}

/** The SPA's product page: full detail, live stock (null while inventory cannot say), review summary and list, related items. */
export function productPageView({ data }: AggregationResult<PlanResults<typeof productPagePlan>>): ProductPage {
  const product = data.product!;
  const stock = data.stock;
  const reviews = data.reviews?.items ?? [];
  const average = reviews.length ? reviews.reduce((sum, r) => sum + r.rating, 0) / reviews.length : null;
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
      count: data.reviews?.total ?? reviews.length,
      averageRating: average === null ? null : Math.round(average * 10) / 10,
      items: reviews.map((r) => ({ id: r.id, rating: r.rating, title: r.title, body: r.body, createdAt: r.createdAt })),
    },
    related: (data.related ?? []).map((p) => ({ id: p.id, name: p.name, price: p.price, image: p.images.medium, rating: p.rating })),
  };
}
