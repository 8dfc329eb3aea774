import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

// The manifests cannot be applied here (no cluster): each is validated against the Kubernetes (and KEDA)
// OpenAPI schemas the way the API server would, and checked against the code it runs.
// Manifests are free-form YAML; the assertions below narrow what they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;
const ROOT = path.join(__dirname, '../..');
const K8S = path.join(ROOT, 'infra/k8s');
const load = (file: string) =>
  parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((d) => d.toJS() as Manifest);
const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml'));
const all = files.flatMap((file) => load(file).map((doc) => ({ file, doc })));

interface Validation {
  file: string;
  kind: string;
  name: string;
  valid: boolean;
  error?: string;
}
/** The schema check runs in Node's ES module loader: kubernetes-models is published as ES modules only. */
function validate(files: string[] = []): Validation[] {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/k8s-validate.mjs'), ...files], {
    encoding: 'utf8',
  });
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Validation);
}

// What runs in a cluster: every service's API and the chatbot's worker.
const WORKLOADS: Record<string, { entry: string; port?: number }> = {
  'chatbot-api': { entry: 'services/chatbot-api/dist/main.js', port: 3000 },
  'chatbot-worker': { entry: 'services/chatbot-api/dist/worker.js' },
  'query-service': { entry: 'services/query-service/dist/main.js', port: 3001 },
  'moderation-service': { entry: 'services/moderation-service/dist/main.js', port: 3002 },
};

describe('Kubernetes manifests', () => {
  it('When every manifest is checked, then each document is valid against its API schema', () => {
    const results = validate();
    expect(results.filter((r) => !r.valid)).toEqual([]);
    expect(results).toHaveLength(all.length);
  });

  it('When a manifest breaks its schema, then the validation says so (the check can fail)', () => {
    const deployment = structuredClone(all.find(({ doc }) => doc.kind === 'Deployment')!.doc);
    deployment.spec.template.spec.containers[0].ports = [{ containerPort: 'http' }];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'k8s-')), 'broken.yaml');
    writeFileSync(file, stringify(deployment));
    const [result] = validate([file]);
    expect(result?.valid).toBe(false);
    expect(result?.error).toMatch(/containerPort/);
  });

  it('When the services are listed, then every service and the worker has a Deployment and an autoscaler', () => {
    const services = readdirSync(path.join(ROOT, 'services'));
    for (const service of services) expect(Object.keys(WORKLOADS)).toContain(service);
    const deployments = all.filter(({ doc }) => doc.kind === 'Deployment').map(({ doc }) => doc.metadata.name);
    expect(deployments.sort()).toEqual(Object.keys(WORKLOADS).sort());
    const scaled = all
      .filter(({ doc }) => doc.kind === 'HorizontalPodAutoscaler' || doc.kind === 'ScaledObject')
      .map(({ doc }) => doc.spec.scaleTargetRef.name);
    expect(scaled.sort()).toEqual(Object.keys(WORKLOADS).sort());
  });

  it.each(Object.entries(WORKLOADS))(
    'When %s starts, then it runs a built entry point that exists in the source, on its port, with probes',
    (name, { entry, port }) => {
      const deployment = all.find(({ doc }) => doc.kind === 'Deployment' && doc.metadata.name === name)!.doc;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.command).toEqual(['node', entry]);
      expect(existsSync(path.join(ROOT, entry.replace('/dist/', '/src/').replace(/\.js$/, '.ts')))).toBe(true);
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
      if (port === undefined) return;
      expect(container.ports[0].containerPort).toBe(port);
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      const service = all.find(({ doc }) => doc.kind === 'Service' && doc.metadata.name === name)!.doc;
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': name });
    },
  );

  it('When the worker scales, then KEDA reads queue metrics the API really exports', () => {
    const scaled = load('chatbot-worker.yaml').find((d) => d.kind === 'ScaledObject')!;
    expect(scaled.spec.scaleTargetRef.name).toBe('chatbot-worker');
    const queries: string[] = scaled.spec.triggers.map((t: { metadata: { query: string } }) => t.metadata.query);
    const source = readFileSync(path.join(ROOT, 'services/chatbot-api/src/jobs/job-queues.service.ts'), 'utf8');
    for (const metric of new Set(queries.map((q) => /(chatbot_[a-z_]+)/.exec(q)![1]!))) {
      expect(source).toContain(`'${metric}'`);
    }
  });

  it('When a node is drained, then every API keeps a minimum of pods (a disruption budget each)', () => {
    for (const name of ['chatbot-api', 'query-service', 'moderation-service']) {
      const budget = all.find(({ doc }) => doc.kind === 'PodDisruptionBudget' && doc.metadata.name === name)?.doc;
      expect(budget?.spec.minAvailable).toBeGreaterThanOrEqual(1);
    }
  });
});
