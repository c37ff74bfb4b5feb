import { type RunningService, startService } from '../start-service';

describe('users service', () => {
  let users: RunningService;

  beforeAll(async () => {
    users = await startService('users', { port: 0 });
  });
  afterAll(() => users.close());

  it('serves alice as u1 and bob as u2', async () => {
    const alice = await (await fetch(`${users.url}/users/u1`)).json() as any;
    expect(alice).toEqual({
      id: 'u1',
      username: 'alice',
      displayName: expect.stringMatching(/^Alice /),
      email: 'alice@example.com',
      avatarUrl: expect.stringMatching(/^https:\/\//),
      memberSince: expect.any(String),
      tier: expect.stringMatching(/^(standard|gold|platinum)$/),
    });
    expect((await (await fetch(`${users.url}/users/u2`)).json() as any).username).toBe('bob');
  });

  it('answers 404 JSON for an unknown user', async () => {
    const res = await fetch(`${users.url}/users/u51`);
    expect(res.status).toBe(404);
    expect((await res.json() as any).error).toBe('not_found');
  });
});
