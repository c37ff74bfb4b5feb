import { Prng } from './prng';
import {
  ADJECTIVES, AUDIENCES, CATEGORIES, FEATURES, FIRST_NAMES, LAST_NAMES, REVIEW_BODIES, REVIEW_TITLES, TAGS,
} from './seed-words';
import type { Order, OrderItem, OrderStatus, Product, Review, SeedData, User, UserTier } from './seed.types';

// Each family draws from its own stream, so adding a field to products does
// not reshuffle every order and review.
const SEEDS = { users: 0x5eed0001, products: 0x5eed0002, orders: 0x5eed0003, reviews: 0x5eed0004 };

export const USER_COUNT = 50;
export const PRODUCT_COUNT = 200;
/** Every tenth product (p10, p20, ... p200) is out of stock, so tests can rely on it. */
export const OUT_OF_STOCK_EVERY = 10;
const IMAGE_BASE = 'https://img.example.com';
const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2024, 0, 1);

const round2 = (n: number): number => Math.round(n * 100) / 100;
const isoDaysBefore = (rng: Prng, maxDays: number): string =>
  new Date(EPOCH - rng.int(0, maxDays * DAY_MS / 1000) * 1000).toISOString();

function seedUsers(): User[] {
  const rng = new Prng(SEEDS.users);
  const users: User[] = [];
  for (let i = 1; i <= USER_COUNT; i++) {
    const first = i <= FIRST_NAMES.length ? FIRST_NAMES[i - 1] : rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const username = i <= FIRST_NAMES.length ? first.toLowerCase() : `${first.toLowerCase()}${i}`;
    const tier = rng.weighted<UserTier>([['standard', 6], ['gold', 3], ['platinum', 1]]);
    users.push({
      id: `u${i}`,
      username,
      displayName: `${first} ${last}`,
      email: `${username}@example.com`,
      avatarUrl: `${IMAGE_BASE}/avatars/u${i}.png`,
      memberSince: isoDaysBefore(rng, 6 * 365),
      tier,
    });
  }
  return users;
}

function seedProducts(): Product[] {
  const rng = new Prng(SEEDS.products);
  const categories = Object.keys(CATEGORIES);
  const products: Product[] = [];
  for (let i = 1; i <= PRODUCT_COUNT; i++) {
    const id = `p${i}`;
    const category = rng.pick(categories);
    const noun = rng.pick(CATEGORIES[category]);
    const name = `${rng.pick(ADJECTIVES)} ${noun}`;
    const related = new Set<string>();
    const relatedCount = rng.int(3, 5);
    while (related.size < relatedCount) {
      const other = rng.int(1, PRODUCT_COUNT);
      if (other !== i) related.add(`p${other}`);
    }
    products.push({
      id,
      name,
      description: `The ${name} is a ${noun.toLowerCase()} for ${rng.pick(AUDIENCES)}. ${rng.pick(FEATURES)}.`,
      price: { amount: rng.int(499, 49999) / 100, currency: 'EUR' },
      category,
      images: {
        small: `${IMAGE_BASE}/${id}/small.jpg`,
        medium: `${IMAGE_BASE}/${id}/medium.jpg`,
        large: `${IMAGE_BASE}/${id}/large.jpg`,
      },
      stock: i % OUT_OF_STOCK_EVERY === 0 ? 0 : rng.int(1, 250),
      rating: rng.int(25, 50) / 10,
      tags: rng.sample(TAGS, rng.int(1, 4)),
      relatedIds: [...related],
    });
  }
  return products;
}

function seedOrders(users: User[], products: Product[]): Order[] {
  const rng = new Prng(SEEDS.orders);
  const orders: Omit<Order, 'id'>[] = [];
  for (const user of users) {
    const count = rng.int(5, 12);
    for (let n = 0; n < count; n++) {
      const items: OrderItem[] = rng.sample(products, rng.int(1, 4)).map((p) => ({
        productId: p.id,
        quantity: rng.int(1, 3),
        unitPrice: p.price.amount,
      }));
      orders.push({
        userId: user.id,
        status: rng.weighted<OrderStatus>([['created', 1], ['paid', 1], ['shipped', 2], ['delivered', 5], ['cancelled', 1]]),
        items,
        total: round2(items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0)),
        currency: 'EUR',
        createdAt: isoDaysBefore(rng, 2 * 365),
      });
    }
  }
  // Ids follow time, so "o1" is the oldest order and ids sort like dates.
  orders.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return orders.map((order, i) => ({ id: `o${i + 1}`, ...order }));
}

function seedReviews(users: User[], products: Product[]): Review[] {
  const rng = new Prng(SEEDS.reviews);
  const reviews: Omit<Review, 'id'>[] = [];
  for (const product of products) {
    const count = rng.int(0, 8);
    for (let n = 0; n < count; n++) {
      const rating = rng.weighted([[1, 1], [2, 1], [3, 2], [4, 4], [5, 4]] as const);
      reviews.push({
        productId: product.id,
        userId: rng.pick(users).id,
        rating,
        title: rng.pick(REVIEW_TITLES[rating]),
        body: `${rng.pick(REVIEW_BODIES)} ${rng.pick(REVIEW_BODIES)}`,
        createdAt: isoDaysBefore(rng, 365),
      });
    }
  }
  reviews.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return reviews.map((review, i) => ({ id: `r${i + 1}`, ...review }));
}

/** Builds the whole data set from fixed seeds: same output on every call. */
export function buildSeed(): SeedData {
  const users = seedUsers();
  const products = seedProducts();
  return { users, products, orders: seedOrders(users, products), reviews: seedReviews(users, products) };
}

let shared: SeedData | undefined;

/** The process-wide seed, built on first use and never mutated. */
export function getSeed(): SeedData {
  shared ??= deepFreeze(buildSeed());
  return shared;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
