// Q7.1–Q7.4: the intent classifier. The chatbot pipeline builds one `IntentClassifier` at startup
// (`IntentClassifier.load`) and records `modelVersion` with each message it classifies.
export { INTENTS, type Intent, isIntent } from './intents';
export { IntentClassifier } from './intent-classifier';
export type {
  ClassificationResult,
  ClassifyContext,
  ClarifyReason,
  IntentClassifierOptions,
  LoadClassifierOptions,
} from './intent-classifier';
export { classifierConfigSchema, type ClassifierConfig } from './config';
export { parseSplit, bucketOf, versionForBucket, type SplitShare } from './ab-assignment';
export { LanguageDetector, SUPPORTED_LANGUAGES, type SupportedLanguage, type LanguageGuess } from './language';
export { IntentModel, type Prediction } from './model';
export { DEFAULT_MODELS_DIR, loadIntentModel, modelPath } from './load';
export { parseArtifact, type IntentModelArtifact } from './artifact';
