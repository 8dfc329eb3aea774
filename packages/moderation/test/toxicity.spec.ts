import { naughtyStrings } from '@casebook/testing';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalise } from '../src/text';
import { CURRENT_MODEL, FeatureExtractor, loadDefaultModel, MODEL_DIR, ToxicityModel } from '../src/toxicity';
import type { FeatureSpec } from '../src/toxicity';
import { negativeReference } from '../src/toxicity/training/calibration';
import { stratifiedFolds, type LabelledRow } from '../src/toxicity/training/dataset';
import { runPipeline, type PipelineOptions } from '../src/toxicity/training/pipeline';

const REPORT = join(__dirname, '..', 'reports', 'toxicity.json');
const ARTIFACT = join(MODEL_DIR, `${CURRENT_MODEL}.json`);

const toxicOf = (model: ToxicityModel, text: string): number => model.score(normalise(text).folded.text).toxic ?? 0;

/** Mild, made-up rows: enough signal for a tiny model, nothing from the real data sets. */
function buildTinyRows(): LabelledRow[] {
  const words = {
    en: {
      bad: ['stupid', 'idiot', 'dumb', 'loser'],
      good: ['thanks', 'report', 'lovely', 'weather'],
      filler: ['you', 'are', 'a', 'the', 'really'],
      toxic: 'offensive',
      clean: 'neither',
    },
    de: {
      bad: ['dumm', 'idiot', 'depp', 'trottel'],
      good: ['danke', 'bericht', 'schön', 'wetter'],
      filler: ['du', 'bist', 'ein', 'der', 'sehr'],
      toxic: 'insult',
      clean: 'other',
    },
    pt: {
      bad: ['idiota', 'burro', 'otário', 'imbecil'],
      good: ['obrigado', 'relatório', 'lindo', 'tempo'],
      filler: ['você', 'é', 'um', 'o', 'muito'],
      toxic: 'toxic',
      clean: 'non-toxic',
    },
  } as const;
  const rows: LabelledRow[] = [];
  for (let i = 0; i < 210; i += 1) {
    const lang = (['en', 'de', 'pt'] as const)[i % 3]!;
    const w = words[lang];
    const toxic = i % 2 === 0 ? 1 : 0;
    const pool = toxic ? w.bad : w.good;
    const text = `${w.filler[i % 5]} ${w.filler[(i + 2) % 5]} ${pool[i % 4]} ${pool[(i >> 2) % 4]}`;
    rows.push({ id: `tiny:${i}`, text, toxic, label: toxic ? w.toxic : w.clean, lang });
  }
  return rows;
}

const TINY_OPTIONS: PipelineOptions = {
  version: 'toxicity-v0',
  seed: 7,
  shares: { train: 0.6, validation: 0.2 },
  features: { bits: 12, wordMaxN: 2, charMinN: 2, charMaxN: 4, charAcrossWords: true, binary: false },
  langBits: 8,
  train: { epochs: 3, batchSize: 8, learningRate: 0.05, l2: 1e-5 },
  langTrain: { epochs: 2, batchSize: 8, learningRate: 0.05, l2: 0 },
  classWeightPower: { en: 1, de: 1, pt: 1 },
  nbAlpha: { shared: 1, en: 1, de: 1, pt: 1 },
  adaptScale: 1,
  calibration: { blockMargin: 1, minPerClass: 1, blockQuantile: 0 },
  folds: 0,
  thresholds: { review: 0.5, block: 0.9 },
  datasetSha256: '0'.repeat(64),
  normaliser: { file: 'normalise.ts', sha256: '0'.repeat(64), note: 'test' },
};

const buildSpec = (overrides: Partial<FeatureSpec> = {}): FeatureSpec => ({
  bits: 16,
  wordMaxN: 2,
  charMinN: 3,
  charMaxN: 4,
  charAcrossWords: true,
  binary: false,
  ...overrides,
});

describe('toxicity features', () => {
  it('When char n-grams stay within words, then none spans the space between two tokens', () => {
    const across = new FeatureExtractor(buildSpec());
    const within = new FeatureExtractor(buildSpec({ charAcrossWords: false }));
    across.extract('ab cd');
    within.extract('ab cd');
    // " ab cd ": five 3-grams and four 4-grams across; " ab ", " cd " on their own: 4 + 2.
    expect(across.charCount).toBe(9);
    expect(within.charCount).toBe(6);
    expect(across.wordCount).toBe(3);
  });

  it('When a text repeats its n-grams and features are binary, then each bucket is kept once per call', () => {
    const counts = new FeatureExtractor(buildSpec());
    const binary = new FeatureExtractor(buildSpec({ binary: true }));
    expect(binary.extract('idiot idiot idiot')).toBeLessThan(counts.extract('idiot idiot idiot'));
    const first = Array.from(binary.indexes.subarray(0, binary.extract('du idiot')));
    binary.extract('something else entirely');
    expect(Array.from(binary.indexes.subarray(0, binary.extract('du idiot')))).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });
});

describe('toxicity model', () => {
  const model = loadDefaultModel();

  it('When the committed artifact is loaded, then its version, categories and thresholds are sane', () => {
    expect(model.version).toBe('toxicity-v3');
    expect(model.categories).toContain('toxic');
    for (const category of model.categories) {
      const { review, block } = model.thresholds[category]!;
      expect(review).toBeGreaterThan(0);
      expect(block).toBeGreaterThan(review);
      expect(block).toBeLessThan(1);
    }
    expect(loadDefaultModel()).toBe(model);
  });

  it('When the artifact file is read, then it is at most 15 MB and records the data and normaliser hashes', () => {
    expect(statSync(ARTIFACT).size).toBeLessThanOrEqual(15 * 1024 * 1024);
    const json = JSON.parse(readFileSync(ARTIFACT, 'utf8')) as {
      training: { datasetSha256: string; seed: number };
      normaliser: { sha256: string };
    };
    expect(json.training.datasetSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.normaliser.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isInteger(json.training.seed)).toBe(true);
  });

  it('When an artifact is malformed, then fromArtifact refuses it', () => {
    const json = JSON.parse(readFileSync(ARTIFACT, 'utf8')) as Record<string, unknown>;
    expect(() => ToxicityModel.fromArtifact({ ...json, version: 'v1' })).toThrow();
    expect(() => ToxicityModel.fromArtifact({ ...json, weights: 'AAAA' })).toThrow(/weights/);
    expect(() => ToxicityModel.fromArtifact(null)).toThrow();
  });

  it.each([
    ['en', 'you are a stupid idiot', 'thank you for the report'],
    ['en', 'shut up, you pathetic loser', 'the meeting is moved to friday'],
    ['de', 'du bist ein dummer idiot', 'danke für den bericht'],
    ['de', 'halt die klappe, du trottel', 'das wetter ist heute schön'],
    ['pt', 'você é um idiota burro', 'obrigado pelo relatório'],
    ['pt', 'cala a boca, seu otário', 'a reunião foi remarcada para sexta'],
  ])(
    'When a mild insult and a benign sentence in %s are scored, then the insult scores higher',
    (_lang, insult, benign) => {
      expect(toxicOf(model, insult)).toBeGreaterThan(toxicOf(model, benign));
    },
  );

  it('When a benign sentence is scored, then it is not blocked', () => {
    expect(toxicOf(model, 'thank you for the report')).toBeLessThan(model.thresholds.toxic!.block);
  });

  it('When the same text is scored twice around other texts, then the scores are identical', () => {
    const text = normalise('you are a stupid idiot').folded.text;
    const first = model.score(text);
    model.score(normalise('danke für den bericht').folded.text);
    expect(model.score(text)).toEqual(first);
  });

  const expectScoresInRange = (inputs: readonly string[]) => {
    for (const input of inputs) {
      const scores = model.score(input);
      for (const category of model.categories) {
        const value = scores[category]!;
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  };

  it('When "" and 1 MB of text are scored, then nothing throws and every score is in [0, 1]', () => {
    expectScoresInRange(['', 'du idiot '.repeat(1 << 17)]);
  });

  it('When every naughty string is scored, raw and folded, then nothing throws and every score is in [0, 1]', () => {
    const naughty = naughtyStrings();
    expectScoresInRange([...naughty, ...naughty.map((s) => normalise(s).folded.text)]);
  });

  it('When the committed report is read, then its test-split figures meet the goals it claims', () => {
    const report = JSON.parse(readFileSync(REPORT, 'utf8')) as {
      version: string;
      goals: { id: string; value: number; met: boolean }[];
    };
    expect(report.version).toBe(model.version);
    const value = (id: string) => report.goals.find((g) => g.id === id)!.value;
    // Q22.1: blocking must almost never hit a non-toxic row (< 0.1 %).
    expect(value('block-fp')).toBeLessThan(0.001);
    expect(value('en-f1')).toBeGreaterThanOrEqual(0.93);
    // Goals not reached by toxicity-v3 (German 0.75, Portuguese 0.75): regression floors at the reached figures.
    expect(value('de-macro-f1')).toBeGreaterThanOrEqual(0.74);
    expect(value('pt-macro-f1')).toBeGreaterThanOrEqual(0.745);
    expect(report.goals.filter((g) => g.met).map((g) => g.id)).toEqual(expect.arrayContaining(['en-f1', 'block-fp']));
  });

  it('When knots are tuned on k folds, then every train and validation row is scored once by a model not fitted on it', () => {
    const rows = buildTinyRows();

    const result = runPipeline(rows, { ...TINY_OPTIONS, folds: 3 });

    expect(result.tuning.on).toBe('out-of-fold');
    expect(result.tuning.rows).toBe(result.counts.train + result.counts.validation);
    expect(result.tuning.figures.categories.toxic!.overall.support.positive).toBeGreaterThan(0);
    expect(result.artifact.training.calibration).toMatchObject({ tunedOn: expect.stringMatching(/^3-fold/) });
    expect(JSON.stringify(runPipeline(rows, { ...TINY_OPTIONS, folds: 3 }).artifact)).toBe(
      JSON.stringify(result.artifact),
    );
  });

  it('When rows are dealt into folds, then each member lands in exactly one and each stratum is spread evenly', () => {
    const rows = buildTinyRows();
    const members = rows.map((_, i) => i).filter((i) => i % 7 !== 0);

    const fold = stratifiedFolds(rows, members, 4, 1);

    expect([...fold.keys()].sort((a, b) => a - b)).toEqual(members);
    for (const lang of ['en', 'de', 'pt'] as const) {
      const sizes = [0, 1, 2, 3].map((k) => members.filter((i) => rows[i]!.lang === lang && fold.get(i) === k).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
    }
  });

  it('When the block reference allows a share of negatives above it, then exactly that many stay above', () => {
    const negatives = Array.from({ length: 2000 }, (_, i) => i / 100);

    expect(negativeReference(negatives, 0)).toBe(19.99);
    expect(negatives.filter((x) => x > negativeReference(negatives, 0.001)).length).toBe(2);
  });

  it('When a tiny model is trained twice on the same rows and seed, then the artifacts are identical', () => {
    const rows = buildTinyRows();
    const first = runPipeline(rows, TINY_OPTIONS);
    const second = runPipeline(rows, TINY_OPTIONS);
    expect(second.artifact.weights).toBe(first.artifact.weights);
    expect(JSON.stringify(second.artifact)).toBe(JSON.stringify(first.artifact));
    expect(toxicOf(first.model, 'you are a stupid idiot')).toBeGreaterThan(
      toxicOf(first.model, 'thanks for the lovely report'),
    );
  });
});
