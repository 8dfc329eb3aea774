import { IntentModel } from '../model';
import { parseArtifact } from '../artifact';
import { LanguageDetector } from '../language';
import { formatArtifact } from './artifact-json';
import { type Dataset, type Example, loadDataset, parseDataset, stratifiedFolds, stratifiedSplit } from './dataset';
import { computeMetrics, type Scored } from './evaluate';
import { buildVersion } from './pipeline';
import { DEFAULT_DATASET_PATH } from './run';
import { chooseThresholds } from './thresholds';
import { trainArtifact } from './train';
import { versionSpec } from './versions';

const full = loadDataset(DEFAULT_DATASET_PATH);

/** The first questions of every intent × language: a small set that trains in well under a second. */
function subset(perGroup: number): Dataset {
  const taken = new Map<string, number>();
  const examples = full.examples.filter((example) => {
    const key = `${example.intent}/${example.lang}`;
    taken.set(key, (taken.get(key) ?? 0) + 1);
    return taken.get(key)! <= perGroup;
  });
  return { examples, sha256: full.sha256 };
}

const context = { datasetSha256: full.sha256, seed: 7, heldOutShare: 0.25, heldOutRows: 0 };

describe('Training', () => {
  const small = subset(10);
  const quick = (version: string) => ({ ...versionSpec(version), epochs: 10 });

  it('When the same rows are trained twice with the same seed, then the artifacts are identical, byte for byte', () => {
    const spec = quick('intent-v2');
    const first = formatArtifact(trainArtifact(small.examples, spec, context));
    const second = formatArtifact(trainArtifact(small.examples, spec, context));
    expect(second).toBe(first);

    const otherSeed = formatArtifact(trainArtifact(small.examples, spec, { ...context, seed: 8 }));
    expect(otherSeed).not.toBe(first);
  });

  it('When the whole pipeline runs twice (split, cross-validated thresholds, grading), then it gives the same result', () => {
    const options = {
      heldOutShare: 0.25,
      seed: 11,
      folds: 3,
      misrouteCost: 4,
      languages: LanguageDetector.create({ franc: false }),
      latencyCalls: 0,
      englishOnlyStudy: false,
    };
    const spec = versionSpec('intent-v1');
    const a = buildVersion(small, spec, options);
    const b = buildVersion(small, spec, options);
    expect(b.json).toBe(a.json);
    expect(b.evaluation.metrics).toEqual(a.evaluation.metrics);
    expect(a.artifact.thresholds).toEqual({
      confidence: a.evaluation.thresholds.chosen.confidence,
      margin: a.evaluation.thresholds.chosen.margin,
    });
    // 120 training rows, 10 epochs: far from the shipped figures, well above chance (1 in 8).
    expect(a.evaluation.metrics.accuracy).toBeGreaterThan(0.3);
  });

  it('When an artifact is written, then it parses back through the runtime loader into the same predictions', () => {
    const artifact = trainArtifact(small.examples, quick('intent-v2'), context);
    const json = formatArtifact(artifact);
    expect(JSON.parse(json)).toEqual(artifact);
    const reloaded = new IntentModel(parseArtifact(JSON.parse(json)));
    const direct = new IntentModel(artifact);
    for (const text of ['top products in EMEA', 'hola', 'compare Q1 with Q2']) {
      expect(reloaded.predict(text)).toEqual(direct.predict(text));
    }
    expect(json.split('\n').every((line) => line.length <= 120)).toBe(true);
  });

  it('When the data are split, then each intent × language keeps its share on both sides and no row is lost', () => {
    const { train, heldOut } = stratifiedSplit(full.examples, { heldOutShare: 0.2, seed: 3 });
    expect(train.length + heldOut.length).toBe(full.examples.length);
    const share = (rows: Example[], intent: string, lang: string): number =>
      rows.filter((row) => row.intent === intent && row.lang === lang).length;
    const groups = new Set(full.examples.map((example) => `${example.intent}/${example.lang}`));
    for (const group of groups) {
      const [intent, lang] = group.split('/') as [string, string];
      expect(share(heldOut, intent, lang)).toBe(Math.round(share(full.examples, intent, lang) * 0.2));
    }
    const folds = stratifiedFolds(train, 5, 3);
    expect(folds.flat()).toHaveLength(train.length);
    expect(Math.max(...folds.map((f) => f.length)) - Math.min(...folds.map((f) => f.length))).toBeLessThanOrEqual(1);
  });

  it('When a line of the data set is malformed, then loading fails naming the line', () => {
    expect(() =>
      parseDataset('{"text":"hi","intent":"smalltalk","lang":"en"}\n{"text":"x","intent":"nope","lang":"en"}'),
    ).toThrow(/line 2/);
  });
});

describe('Evaluation', () => {
  const scored = (truth: string, predicted: string, confidence = 0.9, margin = 0.8): Scored =>
    ({ example: { text: '', intent: truth, lang: 'en' }, predicted, confidence, margin, knownFeatures: 1 }) as Scored;

  it('When predictions are graded, then precision, recall, F1 and the confusion matrix count them', () => {
    const metrics = computeMetrics([
      scored('help', 'help'),
      scored('help', 'smalltalk'),
      scored('smalltalk', 'smalltalk'),
      scored('smalltalk', 'smalltalk'),
    ]);
    expect(metrics.accuracy).toBe(0.75);
    const help = metrics.perIntent.find((m) => m.intent === 'help')!;
    const smalltalk = metrics.perIntent.find((m) => m.intent === 'smalltalk')!;
    expect(help).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(smalltalk.precision).toBeCloseTo(2 / 3);
    expect(smalltalk.recall).toBe(1);
    expect(smalltalk.f1).toBeCloseTo(0.8);
    expect(metrics.confusion[6]![5]).toBe(1); // help (6) predicted as smalltalk (5)
  });

  it('When thresholds are chosen, then a wrong route weighs more than a question back', () => {
    const rows = [
      ...Array.from({ length: 10 }, () => scored('help', 'help', 0.95, 0.9)),
      ...Array.from({ length: 3 }, () => scored('help', 'smalltalk', 0.5, 0.15)),
      ...Array.from({ length: 2 }, () => scored('help', 'help', 0.5, 0.15)),
    ];
    // Asking on the 5 unsure rows costs 5; routing them costs 4 × 3 wrong routes = 12.
    expect(chooseThresholds(rows, 4).chosen).toMatchObject({ misrouted: 0, clarified: 5 });
    // When wrong routes cost no more than questions, routing the unsure rows is the cheaper choice.
    expect(chooseThresholds(rows, 1).chosen).toMatchObject({ misrouted: 3, clarified: 0 });
  });
});
