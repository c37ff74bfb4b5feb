/** The accounts `POST /oauth/token` accepts (password grant). Demo data, not secrets. */
export const DEMO_USERS: ReadonlyArray<{ username: string; password: string; sub: string }> = [
  { username: 'alice', password: 'alice-password', sub: 'u1' },
  { username: 'bob', password: 'bob-password', sub: 'u2' },
];

export const DEFAULT_SCOPE = 'profile orders:read orders:write';

export const GRANTABLE_SCOPES: ReadonlySet<string> = new Set(DEFAULT_SCOPE.split(' '));

export function findDemoUser(username: string, password: string): { sub: string } | undefined {
  return DEMO_USERS.find((u) => u.username === username && u.password === password);
}
