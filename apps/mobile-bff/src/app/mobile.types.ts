/** The upstream shapes this app reads (only the fields it uses). */
export interface Product {
  id: string;
  name: string;
  price: { amount: number; currency: string };
  images: { small: string };
  stock: number;
}

export interface User {
  id: string;
  displayName: string;
  avatarUrl: string;
}

export interface Order {
  id: string;
  userId: string;
  status: string;
  items: { productId: string; quantity: number }[];
  total: number;
  currency: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** inventory.v1 Availability (gRPC), the fields this app reads. */
export interface Availability {
  sku: string;
  stock: number;
  available: boolean;
}
