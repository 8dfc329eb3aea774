export { ToxicityModel, calibrate } from './model';
export type { Thresholds } from './model';
export { loadDefaultModel, loadModelFile, MODEL_DIR, CURRENT_MODEL } from './load';
export { parseToxicityArtifact, LANGUAGES } from './artifact';
export type { ToxicityArtifact, Language } from './artifact';
export { FeatureExtractor } from './features';
export type { FeatureSpec } from './features';
