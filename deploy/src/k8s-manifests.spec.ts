import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { parse } from 'yaml';
// tools/scripts belongs to no project: this is the discovery `npm start` uses, read in place.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { readBffs } from '../../tools/scripts/bff-apps';
import { byKind, K8S_DIR, readManifests, REPO_ROOT, type Manifest } from './manifests';

/** The Kubernetes schemas (kubernetes-models' validators) for every kind deploy/k8s uses. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': core.ConfigMap,
  'v1/Secret': core.Secret,
  'v1/Service': core.Service,
  'apps/v1/Deployment': apps.Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': autoscaling.HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': policy.PodDisruptionBudget,
};

// Every BFF of the workspace (type:app projects, a generated one included), with the port its config declares.
const BFFS = readBffs(REPO_ROOT);

describe('Kubernetes manifests (deploy/k8s)', () => {
  const manifests = readManifests();
  const deployments = byKind(manifests, 'Deployment');
  const configMaps = byKind(manifests, 'ConfigMap');

  it.each(manifests.map((m) => [`${m.file}: ${m.kind} ${m.metadata.name}`, m] as const))('%s is valid against the Kubernetes schema', (_name, manifest) => {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    expect(Model).toBeDefined();
    const { file: _file, ...object } = manifest;
    expect(() => new Model(object).validate()).not.toThrow();
  });

  it('the kustomization lists every manifest file', () => {
    const kustomization = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8'));
    expect([...kustomization.resources].sort()).toEqual([...new Set(manifests.map((m) => m.file))].sort());
  });

  it('ships every BFF and Redis', () => {
    expect(BFFS.map((b) => b.name)).toEqual(expect.arrayContaining(['web-bff', 'mobile-bff', 'partner-bff']));
    expect([...deployments.keys()].sort()).toEqual([...BFFS.map((b) => b.name), 'redis'].sort());
  });

  describe.each(BFFS.map((b) => [b.name, b] as const))('%s', (app, { port, auth }) => {
    const deployment = deployments.get(app)!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const config = configMaps.get(`${app}-config`)!;
    const env = (name: string) => Number(config.data[name]);

    it('probes /health/live and /health/ready on the port the app listens on', () => {
      expect(Number(config.data.PORT)).toBe(port);
      expect(container.ports).toEqual([
        expect.objectContaining({ name: 'http', containerPort: port }),
        expect.objectContaining({ name: 'management', containerPort: env('MANAGEMENT_PORT') }),
      ]);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
    });

    it('is scraped on the management port, which its Service never exposes', () => {
      expect(env('MANAGEMENT_PORT')).not.toBe(port);
      const annotations = deployment.spec.template.metadata.annotations;
      expect([annotations['prometheus.io/port'], annotations['prometheus.io/path']]).toEqual([String(env('MANAGEMENT_PORT')), '/metrics']);
      const service = byKind(manifests, 'Service').get(app)!;
      expect(service.spec.ports.map((p: any) => p.targetPort)).toEqual(['http']);
    });

    it('shuts down gracefully: preStop waits out the drain, the grace period outlasts it and the app\u2019s own', () => {
      const preStop = container.lifecycle.preStop.exec.command as string[];
      expect(preStop.slice(0, 1)).toEqual(['sleep']);
      const preStopSeconds = Number(preStop[1]);
      expect(preStopSeconds * 1000).toBe(env('DRAIN_DELAY_MS'));
      expect(env('DRAIN_DELAY_MS')).toBeLessThan(env('SHUTDOWN_GRACE_MS'));
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopSeconds * 1000 + env('SHUTDOWN_GRACE_MS'));
    });

    it('runs as non-root on a read-only root filesystem, with requests and limits', () => {
      expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: expect.any(Number) }));
      expect(pod.securityContext.runAsUser).not.toBe(0);
      expect(container.securityContext).toEqual(
        expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }),
      );
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    });

    it('verifies the credential its config declares', () => {
      if (auth === 'jwt') expect(config.data).toEqual(expect.objectContaining({ JWKS_URL: expect.stringMatching(/^https?:\/\//), JWT_ISSUER: expect.any(String) }));
      else expect(config.data.JWKS_URL).toBeUndefined();
    });

    it('takes its config from its ConfigMap and the Redis URL (and API keys) from Secrets', () => {
      const sources = container.envFrom.map((s: any) => s.configMapRef?.name ?? s.secretRef?.name);
      expect(sources).toEqual(expect.arrayContaining([`${app}-config`, 'gateway-secrets']));
      const secrets = byKind(manifests, 'Secret');
      expect(secrets.get('gateway-secrets')!.stringData.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
      if (auth === 'api-key') {
        expect(sources).toContain(`${app}-secrets`);
        const keys = JSON.parse(secrets.get(`${app}-secrets`)!.stringData.API_KEYS);
        for (const key of keys) expect(key.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
    });

    it('has a Service, an autoscaler (autoscaling/v2) and a disruption budget (policy/v1) that select its pods', () => {
      const labels = deployment.spec.template.metadata.labels;
      const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
      const service = byKind(manifests, 'Service').get(app)!;
      expect(selects(service.spec.selector)).toBe(true);
      expect(service.spec.ports[0].targetPort).toBe('http');
      const hpa = byKind(manifests, 'HorizontalPodAutoscaler').get(app)!;
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      const pdb = byKind(manifests, 'PodDisruptionBudget').get(app)!;
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
      expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    });

    it('sets only variables the gateway reads', () => {
      // The settings reference is generated from the config schema, so it lists every variable the gateway reads.
      const known = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
      for (const name of Object.keys(config.data)) {
        if (name === 'NODE_ENV' || name.startsWith('OTEL_') || /^UPSTREAM_[A-Z0-9_]+_(URLS|TIMEOUT_MS)$/.test(name)) continue;
        expect([name, known.includes(`| \`${name}\` |`)]).toEqual([name, true]);
      }
    });
  });

  it('runs Redis non-root on a read-only root filesystem, with a probe and resources', () => {
    const pod = deployments.get('redis')!.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.readinessProbe).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('a broken manifest fails the schema check (the check can fail)', () => {
    const deployment = structuredClone(deployments.get('web-bff')!) as Manifest;
    deployment.spec.template.spec.containers[0].livenessProbe.httpGet = { path: '/health/live' };
    const { file: _file, ...object } = deployment;
    expect(() => new apps.Deployment(object).validate()).toThrow(/port/);
  });
});
