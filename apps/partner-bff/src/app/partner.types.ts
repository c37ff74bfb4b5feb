/** The upstream shapes this app reads (only the fields it uses). */
export interface Product {
  id: string;
  name: string;
  description: string;
  price: { amount: number; currency: string };
  category: string;
  stock: number;
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

/** inventory.v1 Availability (gRPC), the fields this app reads. */
export interface Availability {
  sku: string;
  stock: number;
  available: boolean;
}
