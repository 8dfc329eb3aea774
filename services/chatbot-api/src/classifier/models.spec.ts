import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODELS_DIR, loadIntentModel } from './load';
import { loadDataset, stratifiedSplit } from './training/dataset';
import { computeMetrics, scoreExamples } from './training/evaluate';
import { ACCURACY_PATTERN } from './training/report';
import { DEFAULT_DATASET_PATH } from './training/run';
import { VERSIONS } from './training/versions';

const dataset = loadDataset(DEFAULT_DATASET_PATH);

describe.each(VERSIONS.map((spec) => spec.version))('The shipped artifact %s', (version) => {
  const model = loadIntentModel(version);
  const artifact = JSON.parse(readFileSync(join(DEFAULT_MODELS_DIR, `${version}.json`), 'utf8'));
  const report = readFileSync(join(DEFAULT_MODELS_DIR, `${version}.report.md`), 'utf8');

  it('When it is loaded, then it was trained on the data set in the repository (otherwise: pnpm train:intents)', () => {
    expect(artifact.training.datasetSha256).toBe(dataset.sha256);
    expect(model.version).toBe(version);
    expect(model.featureCount).toBeGreaterThan(1_000);
  });

  it("When it grades the held-out split again, then it reproduces the report's accuracy", () => {
    const { heldOut } = stratifiedSplit(dataset.examples, {
      heldOutShare: artifact.training.heldOutShare,
      seed: artifact.training.seed,
    });
    expect(heldOut).toHaveLength(artifact.heldOut.rows);

    const metrics = computeMetrics(scoreExamples(model, heldOut));

    const [, reported, correct, total] = ACCURACY_PATTERN.exec(report) ?? [];
    expect(Number(total)).toBe(heldOut.length);
    expect(metrics.accuracy).toBeCloseTo(Number(reported), 3);
    expect(metrics.correct).toBe(Number(correct));
    expect(metrics.accuracy).toBeCloseTo(artifact.heldOut.accuracy, 3);
    // The bar the versions were accepted at; a retrained model below it is a regression to look at.
    expect(metrics.accuracy).toBeGreaterThan(0.85);
  });
});

describe('The labelled data set', () => {
  it('When it is read, then every intent has English and Spanish questions in similar numbers, with no duplicates', () => {
    const counts = new Map<string, number>();
    for (const example of dataset.examples) {
      const key = `${example.intent}/${example.lang}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(16);
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(60);
    expect(Math.max(...counts.values()) / Math.min(...counts.values())).toBeLessThan(1.5);
    const texts = dataset.examples.map((example) => example.text.toLowerCase().trim());
    expect(new Set(texts).size).toBe(texts.length);
  });
});
