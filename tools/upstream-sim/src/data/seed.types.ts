export type UserTier = 'standard' | 'gold' | 'platinum';

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string;
  avatarUrl: string;
  memberSince: string;
  tier: UserTier;
}

export interface Money {
  amount: number;
  currency: 'EUR';
}

export interface Product {
  id: string;
  name: string;
  description: string;
  price: Money;
  category: string;
  images: { small: string; medium: string; large: string };
  stock: number;
  rating: number;
  tags: string[];
  relatedIds: string[];
}

export type OrderStatus = 'created' | 'paid' | 'shipped' | 'delivered' | 'cancelled';

export interface OrderItem {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  total: number;
  currency: 'EUR';
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

export interface SeedData {
  users: User[];
  products: Product[];
  orders: Order[];
  reviews: Review[];
}
