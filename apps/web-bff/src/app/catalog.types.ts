/** The catalog, users, orders and reviews services' shapes this app reads. */
export interface Product {
  id: string;
  name: string;
  description: string;
  price: { amount: number; currency: string };
  category: string;
  images: { small: string; medium: string; large: string };
  stock: number;
  rating: number;
  tags: string[];
  relatedIds: string[];
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string;
  avatarUrl: string;
  memberSince: string;
  tier: string;
}

export interface Order {
  id: string;
  userId: string;
  status: string;
  items: { productId: string; quantity: number; unitPrice: number }[];
  total: number;
  currency: string;
  createdAt: string;
}

export interface Review {
  id: string;
  productId: string;
  userId: string;
  rating: number;
  title: string;
  body: string;
  createdAt: string;
}

export interface ItemList<T> {
  items: T[];
  total?: number;
}

/** inventory.v1 Availability (gRPC), the fields this app reads. */
export interface Availability {
  sku: string;
  stock: number;
  available: boolean;
}
