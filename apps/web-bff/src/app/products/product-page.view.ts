import type { AggregationResult, PlanResults } from '@gateway/kernel';
import type { productPagePlan } from './product-page.plan';

/** The SPA's product page: full detail, live stock (null while inventory cannot say), review summary and list, related items. */
export function productPageView({ data }: AggregationResult<PlanResults<typeof productPagePlan>>) {
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
