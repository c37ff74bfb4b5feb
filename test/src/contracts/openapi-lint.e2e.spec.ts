import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, request, startBff, type BffName, type RunningBff } from '../support';
import { lintOpenApi, type LintFinding } from './lint-openapi';

const BFFS: BffName[] = ['web-bff', 'mobile-bff', 'partner-bff'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const RELEASE = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Each built BFF's /docs/json, as a client fetches it, linted with Spectral
 * (spectral:oas and the OWASP ruleset; see openapi.ruleset.ts for what is
 * accepted as a warning and why) and checked for what the docs must carry.
 * No upstream is needed: the document is made at start.
 */
describe.each(BFFS)('%s OpenAPI document', (name) => {
  let bff: RunningBff;
  let text: string;
  let doc: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    // Load shedding off: a BFF just started on a busy machine would otherwise shed this one request.
    bff = await startBff(name, {}, { OVERLOAD_ENABLED: 'false' });
    const res = await request(`${bff.url}/docs/json`);
    expect(res.status).toBe(200);
    text = res.text;
    doc = res.body;
  }, 30_000);
  afterAll(() => bff?.stop());

  it('lints with zero errors (warnings listed, each kind accepted in the ruleset)', async () => {
    const findings = await lintOpenApi(text, name);
    const errors = findings.filter((f) => f.severity === 'error').map((f: LintFinding) => `${f.code} at ${f.path}: ${f.message}`);
    const warnings = new Map<string, number>();
    for (const f of findings.filter((f) => f.severity === 'warning')) warnings.set(f.code, (warnings.get(f.code) ?? 0) + 1);
    process.stdout.write(`${name}: ${errors.length} errors; warnings ${JSON.stringify(Object.fromEntries(warnings))}\n`);
    expect(errors).toEqual([]);
  });

  it("names the release from package.json", () => {
    expect(doc.info.version).toBe(RELEASE);
  });

  it('gives every operation a documented success body and problem+json errors', () => {
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const responses = item[method].responses as Record<string, any>;
        // A WebSocket endpoint answers 101 and then speaks its own protocol.
        const success = Object.entries(responses).filter(([status]) => status.startsWith('2') || status === '101');
        expect([path, method, success.length]).toEqual([path, method, 1]);
        const [status, ok] = success[0];
        const schemas = Object.values<any>(ok.content ?? {}).map((media) => media.schema);
        const described = status === '101' || (schemas.length > 0 && schemas.every((s) => s && Object.keys(s).length > 0));
        expect([path, method, described]).toEqual([path, method, true]);
        for (const [status, response] of Object.entries(responses).filter(([s]) => Number(s) >= 400 && !path.startsWith('/health'))) {
          expect([path, method, status, response.content?.['application/problem+json']?.schema]).toEqual([
            path,
            method,
            status,
            { $ref: '#/components/schemas/ProblemDetails' },
          ]);
        }
        expect([path, method, Boolean(responses['500'])]).toEqual([path, method, true]);
      }
    }
  });
});
