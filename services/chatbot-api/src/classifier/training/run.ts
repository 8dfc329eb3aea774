import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LanguageDetector } from '../language';
import { DEFAULT_MODELS_DIR, modelPath } from '../load';
import { loadDataset } from './dataset';
import { languageStudy } from './language-study';
import { buildVersion, type VersionBuild } from './pipeline';
import { renderReport } from './report';
import { SPLIT, MISROUTE_COST, THRESHOLD_FOLDS, VERSIONS, versionSpec } from './versions';

/** `services/chatbot-api/data/intents/intents.jsonl`, from `src/…` and `dist/…` alike. */
export const DEFAULT_DATASET_PATH = resolve(__dirname, '..', '..', '..', 'data', 'intents', 'intents.jsonl');

export interface TrainIntentsOptions {
  versions?: string[];
  dataPath?: string;
  outDir?: string;
  /** Compare the rebuilt artifacts with the files instead of writing them. */
  check?: boolean;
  latencyCalls?: number;
  command?: string;
  log?: (line: string) => void;
}

export interface TrainIntentsResult {
  builds: VersionBuild[];
  /** With `check`: versions whose file differs from the rebuilt artifact. */
  stale: string[];
}

/** `pnpm train:intents`: trains every version (or the named ones), writes `<version>.json` and its report. */
export function trainIntents(options: TrainIntentsOptions = {}): TrainIntentsResult {
  const log = options.log ?? (() => undefined);
  const outDir = options.outDir ?? DEFAULT_MODELS_DIR;
  const dataset = loadDataset(options.dataPath ?? DEFAULT_DATASET_PATH);
  const languages = LanguageDetector.create();
  const specs = (options.versions?.length ? options.versions : VERSIONS.map((v) => v.version)).map(versionSpec);
  const study = options.check ? [] : languageStudy(dataset.examples);
  const builds: VersionBuild[] = [];
  const stale: string[] = [];
  for (const spec of specs) {
    const build = buildVersion(dataset, spec, {
      ...SPLIT,
      folds: THRESHOLD_FOLDS,
      misrouteCost: MISROUTE_COST,
      languages,
      latencyCalls: options.check ? 0 : (options.latencyCalls ?? 20_000),
      englishOnlyStudy: !options.check,
    });
    builds.push(build);
    const path = modelPath(outDir, spec.version);
    const { metrics, thresholds, latency } = build.evaluation;
    log(
      `${spec.version}: held-out accuracy ${metrics.accuracy.toFixed(4)} (${metrics.correct}/${metrics.total}), ` +
        `thresholds confidence ≥ ${thresholds.chosen.confidence}, margin ≥ ${thresholds.chosen.margin}` +
        (latency ? `, classify median ${latency.medianUs.toFixed(1)} µs p99 ${latency.p99Us.toFixed(1)} µs` : ''),
    );
    if (options.check) {
      if (readOrEmpty(path) !== build.json) stale.push(spec.version);
      continue;
    }
    writeFileSync(path, build.json);
    writeFileSync(
      join(outDir, `${spec.version}.report.md`),
      renderReport(build.evaluation, study, options.command ?? 'pnpm train:intents'),
    );
    log(`  wrote ${path} and ${spec.version}.report.md`);
  }
  return { builds, stale };
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
