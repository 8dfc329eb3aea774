import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArtifact } from './artifact';
import { IntentModel } from './model';

/**
 * `services/chatbot-api/models`, from `src/classifier` (Jest) and `dist/classifier` (node) alike: the
 * artifacts ship with the service, they are never read from outside the repository.
 */
export const DEFAULT_MODELS_DIR = resolve(__dirname, '..', '..', 'models');

export function modelPath(modelsDir: string, version: string): string {
  return join(modelsDir, `${version}.json`);
}

/** Reads and validates one version; throws naming the file when it is missing or malformed. */
export function loadIntentModel(version: string, modelsDir: string = DEFAULT_MODELS_DIR): IntentModel {
  const path = modelPath(modelsDir, version);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`intent model ${version}: cannot read ${path}: ${(error as Error).message}`);
  }
  const artifact = parseArtifact(json);
  if (artifact.version !== version) throw new Error(`${path} holds ${artifact.version}, not ${version}`);
  return new IntentModel(artifact);
}
