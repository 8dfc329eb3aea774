export { detectPii, PII_DETECTOR_VERSION } from './detect';
export type { PiiHit, PiiOptions } from './hit';
export { evaluatePii, mapPresidioEntity, type PiiCorpusRow, type PiiEvaluation, type TypeMetrics } from './evaluate';
export { luhnValid, ibanMod97Valid, cpfValid, cnpjValid, ssnValid } from './checksums';
