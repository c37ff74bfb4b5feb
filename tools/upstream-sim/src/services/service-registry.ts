import type { ServiceName } from '../app/service-names';
import { catalogRoutes } from './catalog.service';
import { identityRoutes } from './identity.service';
import { ordersRoutes } from './orders.service';
import { reviewsRoutes } from './reviews.service';
import type { ServiceRoutes } from './service-context';
import { usersRoutes } from './users.service';

/** HTTP routes of each service; inventory's calls are gRPC (inventory/), so its server carries only the control routes. */
export const SERVICE_ROUTES: Readonly<Record<ServiceName, ServiceRoutes>> = {
  identity: identityRoutes,
  users: usersRoutes,
  catalog: catalogRoutes,
  orders: ordersRoutes,
  reviews: reviewsRoutes,
  inventory: () => undefined,
};
