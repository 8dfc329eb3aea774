#!/usr/bin/env node
// Validates Kubernetes (and KEDA) manifests against the API schemas, as the API server would on apply:
// `node scripts/k8s-validate.mjs [file.yaml…]` (default: every infra/k8s/*.yaml). Prints one JSON line per
// document ({file, kind, name, valid, error?}) and exits 1 when one is invalid. test/infra/k8s.spec.ts runs it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const K8S = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'infra', 'k8s');
const MODELS = {
  'apps/v1 Deployment': 'kubernetes-models/apps/v1/Deployment',
  'autoscaling/v2 HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1 PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'v1 Service': 'kubernetes-models/v1/Service',
  'v1 ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'batch/v1 Job': 'kubernetes-models/batch/v1/Job',
  'keda.sh/v1alpha1 ScaledObject': '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
};

const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(K8S)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => path.join(K8S, f));
let failed = false;
for (const file of files) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const doc = document.toJS();
    const result = { file: path.basename(file), kind: doc?.kind, name: doc?.metadata?.name, valid: false };
    const specifier = MODELS[`${doc?.apiVersion} ${doc?.kind}`];
    if (!specifier) {
      result.error = `no schema for ${doc?.apiVersion} ${doc?.kind}`;
    } else {
      const Model = (await import(specifier))[doc.kind];
      try {
        new Model(doc).validate();
        result.valid = true;
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
      }
    }
    failed ||= !result.valid;
    console.log(JSON.stringify(result));
  }
}
process.exitCode = failed ? 1 : 0;
