/** A response with its body read once, as text and (when it is JSON) parsed. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** fetch, with the body read and a timeout so a hang fails the test rather than the run. */
export async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<ReadResponse> {
  const response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(init.timeoutMs ?? 10_000) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** A JSON POST. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<ReadResponse> {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A user token from the identity sim (password grant). */
export async function userToken(identityUrl: string, username = 'alice', password = `${username}-password`): Promise<string> {
  const response = await postJson(`${identityUrl}/oauth/token`, { grant_type: 'password', username, password });
  if (response.status !== 200) throw new Error(`token for ${username}: ${response.status} ${response.text}`);
  return response.body.access_token as string;
}

/** A token with chosen claims, signed by the identity sim's current key (dev-only endpoint). */
export async function signedToken(identityUrl: string, claims: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<string> {
  const response = await postJson(`${identityUrl}/__sim/sign`, { claims, ...options });
  if (response.status !== 200) throw new Error(`sign: ${response.status} ${response.text}`);
  return (response.body.token ?? response.body.access_token) as string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts the RFC 9457 shape and that nothing upstream-internal leaked. */
export function expectProblem(response: ReadResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, instance: expect.any(String) }),
  );
  expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
  expect(response.text).not.toMatch(/stack|\.internal|127\.0\.0\.1|localhost|ECONN|at \w+ \(/i);
}
