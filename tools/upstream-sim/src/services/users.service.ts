import type { FastifyInstance } from 'fastify';
import { notFound, sendJson } from '../app/http-replies';
import { getSeed } from '../data/seed';

/** users: profiles of the seeded users, serialised once. */
export function usersRoutes(app: FastifyInstance): void {
  const jsonById = new Map(getSeed().users.map((user) => [user.id, JSON.stringify(user)]));

  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const json = jsonById.get(request.params.id);
    return json ? sendJson(reply, 200, json) : notFound(reply, `user ${request.params.id} not found`);
  });
}
