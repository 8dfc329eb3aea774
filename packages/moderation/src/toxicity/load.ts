import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ToxicityModel } from './model';

/** `packages/moderation/model`, from `src/toxicity` (jest) and `dist/toxicity` (node) alike; never `../shared`. */
export const MODEL_DIR = resolve(__dirname, '..', '..', 'model');
/** The artifact the engine uses; a new version is a new file and a change here (Q22.4). */
export const CURRENT_MODEL = 'toxicity-v3';

let cached: ToxicityModel | undefined;

export function loadModelFile(path: string): ToxicityModel {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`toxicity model: cannot read ${path}: ${(error as Error).message}`);
  }
  return ToxicityModel.fromArtifact(json);
}

/** Loaded once per process (base64 → int8, one table per language). */
export function loadDefaultModel(): ToxicityModel {
  cached ??= loadModelFile(join(MODEL_DIR, `${CURRENT_MODEL}.json`));
  return cached;
}
