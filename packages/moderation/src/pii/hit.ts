import type { PiiType } from '../types';
import type { DigitChunk } from './chunks';

/** One finding; `from`/`to` are UTF-16 offsets into the string given to `detectPii` (half-open). */
export interface PiiHit {
  type: PiiType;
  from: number;
  to: number;
  /** 0..1; each detector documents its scale. */
  score: number;
}

export interface PiiOptions {
  /** Detectors to run; all when absent. */
  types?: readonly PiiType[];
  /** ISO 3166 alpha-2 region for numbers written without a country code; default 'US'. */
  defaultCountry?: string;
  /** Hits below this score are dropped; default 0.5. */
  minScore?: number;
}

/** What every detector reads: the text, a lazily built lower-case copy and the digit chunks (one scan). */
export interface ScanInput {
  readonly text: string;
  readonly lower: string;
  readonly chunks: readonly DigitChunk[];
  readonly defaultCountry: string;
}

export type Detector = (input: ScanInput, out: PiiHit[]) => void;

export function clampScore(score: number): number {
  return score < 0 ? 0 : score > 1 ? 1 : Math.round(score * 100) / 100;
}
