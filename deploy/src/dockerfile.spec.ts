import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { REPO_ROOT } from './manifests';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'deploy/docker/Dockerfile'), 'utf8');
const instructions = DOCKERFILE.split('\n')
  .filter((line) => /^[A-Z]+\s/.test(line))
  .map((line) => line.trim());

describe('the BFF image (deploy/docker/Dockerfile)', () => {
  it('has no problems the Dockerfile language service finds', () => {
    expect(validate(DOCKERFILE).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('runs on Node 24 LTS, one Node for both stages', () => {
    expect(DOCKERFILE).toMatch(/^ARG NODE_IMAGE=node:24\.\d+-[a-z]+-slim$/m);
    expect(instructions.filter((i) => i.startsWith('FROM '))).toEqual(['FROM ${NODE_IMAGE} AS deps', 'FROM ${NODE_IMAGE} AS runtime']);
  });

  it('is multi-stage: production dependencies from the app\u2019s generated lockfile, then the nx build output', () => {
    expect(instructions.filter((i) => i.startsWith('FROM '))).toHaveLength(2);
    expect(DOCKERFILE).toContain('COPY dist/apps/${APP}/package.json dist/apps/${APP}/package-lock.json ./');
    expect(DOCKERFILE).toMatch(/npm ci --omit=dev/);
    expect(DOCKERFILE).toContain('dist/apps/${APP}/ ./');
  });

  it('runs as a non-root user, with a health check on /health/live and node as PID 1', () => {
    const user = instructions.filter((i) => i.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(instructions.indexOf(user!)).toBeGreaterThan(instructions.findIndex((i) => i.startsWith('FROM ') && i.includes('runtime')));
    expect(DOCKERFILE).toMatch(/HEALTHCHECK[\s\S]*\/health\/live/);
    expect(instructions.pop()).toMatch(/^CMD \["node"/);
  });

  it("holds the young generation at 8 MB, as V8 reads it only from node's command line", () => {
    expect(DOCKERFILE).toMatch(/^CMD \["node", "--max-semi-space-size=8", /m);
  });

  it('turns Maglev off on the command line, where V8 sets its tiering up (set later, it costs CPU)', () => {
    expect(DOCKERFILE).toMatch(/^CMD \["node", .*"--no-maglev", .*"main\.js"\]$/m);
  });

  it('the build context holds only build output (.dockerignore)', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    expect(ignore.slice(1).every((l) => l.startsWith('!dist/apps/'))).toBe(true);
  });
});
