import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

// The manifests cannot be applied here (no cluster); this keeps them consistent with the code.
// Manifests are free-form YAML; the assertions below narrow what they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;
const load = (file: string) =>
  parseAllDocuments(readFileSync(path.join(__dirname, '../../infra/k8s', file), 'utf8')).map(
    (d) => d.toJS() as Manifest,
  );

describe('Kubernetes manifests', () => {
  it('When the worker scales, then KEDA reads queue metrics the API really exports', () => {
    const scaled = load('chatbot-worker.yaml').find((d) => d.kind === 'ScaledObject')!;
    expect(scaled.spec.scaleTargetRef.name).toBe('chatbot-worker');
    const queries: string[] = scaled.spec.triggers.map((t: { metadata: { query: string } }) => t.metadata.query);
    const source = readFileSync(
      path.join(__dirname, '../../services/chatbot-api/src/jobs/job-queues.service.ts'),
      'utf8',
    );
    for (const metric of new Set(queries.map((q) => /(chatbot_[a-z_]+)/.exec(q)![1]!))) {
      expect(source).toContain(`'${metric}'`);
    }
  });

  it('When pods start, then they run the built entry points and probe the health routes', () => {
    const api = load('chatbot-api.yaml').find((d) => d.kind === 'Deployment')!;
    const worker = load('chatbot-worker.yaml').find((d) => d.kind === 'Deployment')!;
    expect(api.spec.template.spec.containers[0].command).toEqual(['node', 'services/chatbot-api/dist/main.js']);
    expect(worker.spec.template.spec.containers[0].command).toEqual(['node', 'services/chatbot-api/dist/worker.js']);
    expect(api.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/health/ready');
  });
});
