/** inventory speaks gRPC (with its control routes over HTTP/1.1 on the same port); the others HTTP. */
export const SERVICE_NAMES = ['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_HOST = '127.0.0.1';

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  identity: 4000,
  users: 4001,
  catalog: 4002,
  orders: 4003,
  reviews: 4004,
  inventory: 4005,
};

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
