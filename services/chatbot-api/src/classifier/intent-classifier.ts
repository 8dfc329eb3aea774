import { bucketOf, parseSplit, type SplitShare, versionForBucket } from './ab-assignment';
import { clarifyingQuestion } from './clarify';
import type { Intent } from './intents';
import { LanguageDetector, type SupportedLanguage } from './language';
import { DEFAULT_MODELS_DIR, loadIntentModel } from './load';
import type { IntentModel } from './model';

export type ClarifyReason = 'nothing_recognised' | 'low_confidence' | 'low_margin' | 'unsupported_language';

export interface ClassificationResult {
  /** The most probable intent, also when the decision is to clarify (logged, never acted on). */
  intent: Intent;
  /** Probability of `intent`. */
  confidence: number;
  /** Probability of `intent` minus that of the runner-up. */
  margin: number;
  /** See `LanguageGuess.language`. */
  language: string;
  /** Q7.3: recorded on the message, so every answer names the model version that routed it. */
  modelVersion: string;
  decision: 'route' | 'clarify';
  /** Set when `decision` is `clarify`: the question to send back instead of an answer. */
  clarifyingQuestion?: string;
  clarifyReason?: ClarifyReason;
  /** The user's A/B bucket (0–99) when the version was assigned by `classify`. */
  bucket?: number;
}

export interface ClassifyContext {
  /** Who is asking (the user id): decides the A/B bucket, never the answer. */
  subject: string;
  /** The language to fall back on when the text does not tell (the conversation's or the profile's). */
  languageHint?: SupportedLanguage;
}

export interface IntentClassifierOptions {
  models: readonly IntentModel[];
  split: readonly SplitShare[];
  salt: string;
  languages: LanguageDetector;
}

export interface LoadClassifierOptions {
  modelsDir?: string;
  /** `intent-v1=10,intent-v2=90`, or already parsed. */
  split: string | readonly SplitShare[];
  salt: string;
  /** Set to false to run without franc (the lexicon and script checks still decide). */
  franc?: boolean;
}

/**
 * The intent classifier: picks the model version for the user (A/B by bucket), detects the language,
 * predicts, and routes only when the model is sure enough by its own version's thresholds; otherwise
 * it returns a clarifying question in the user's language (Q7.1, Q7.4). Pure and in-process: no I/O
 * after `load`, a few tens of microseconds per question (Q7.2).
 */
export class IntentClassifier {
  private readonly models: ReadonlyMap<string, IntentModel>;
  private readonly split: readonly SplitShare[];
  private readonly salt: string;
  private readonly languages: LanguageDetector;

  constructor(options: IntentClassifierOptions) {
    this.models = new Map(options.models.map((model) => [model.version, model]));
    for (const share of options.split) {
      if (!this.models.has(share.version)) throw new Error(`the A/B split names ${share.version}, which is not loaded`);
    }
    this.split = options.split;
    this.salt = options.salt;
    this.languages = options.languages;
  }

  /** Reads every version the split names from the models directory (synchronously: call it at startup). */
  static load(options: LoadClassifierOptions): IntentClassifier {
    const split = typeof options.split === 'string' ? parseSplit(options.split) : options.split;
    const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
    return new IntentClassifier({
      models: split.map((share) => loadIntentModel(share.version, modelsDir)),
      split,
      salt: options.salt,
      languages: LanguageDetector.create({ franc: options.franc }),
    });
  }

  get versions(): string[] {
    return [...this.models.keys()];
  }

  get usesFranc(): boolean {
    return this.languages.usesFranc;
  }

  /** Q7.3: the same subject gets the same version on every call and every instance. */
  assign(subject: string): { version: string; bucket: number } {
    const bucket = bucketOf(subject, this.salt);
    return { version: versionForBucket(bucket, this.split), bucket };
  }

  classify(text: string, context: ClassifyContext): ClassificationResult {
    const { version, bucket } = this.assign(context.subject);
    return { ...this.classifyWith(version, text, context.languageHint), bucket };
  }

  /** One named version, whatever the split says (evaluation, shadow runs, the training report). */
  classifyWith(version: string, text: string, languageHint?: SupportedLanguage): ClassificationResult {
    const model = this.models.get(version);
    if (!model) throw new Error(`intent model ${version} is not loaded`);
    const guess = this.languages.detect(text, languageHint);
    const { probabilities, knownFeatures, knownWordFeatures } = model.predict(text);

    let top = 0;
    let second = probabilities.length > 1 ? 1 : 0;
    if (probabilities[second]! > probabilities[top]!) [top, second] = [second, top];
    for (let j = 2; j < probabilities.length; j += 1) {
      if (probabilities[j]! > probabilities[top]!) [top, second] = [j, top];
      else if (probabilities[j]! > probabilities[second]!) second = j;
    }
    const confidence = probabilities[top]!;
    const margin = confidence - probabilities[second]!;
    const result: ClassificationResult = {
      intent: model.intents[top]!,
      confidence,
      margin,
      language: guess.language,
      modelVersion: model.version,
      decision: 'route',
    };

    const reason: ClarifyReason | null = !guess.supported
      ? 'unsupported_language'
      : knownFeatures === 0
        ? 'nothing_recognised'
        : confidence < model.thresholds.confidence
          ? 'low_confidence'
          : margin < model.thresholds.margin
            ? 'low_margin'
            : null;
    if (reason === null) return result;

    // Not one known word ("asdf qwer", a stray paste): offering two intents would be a guess of its own,
    // so the question is the generic one with examples. Character n-grams alone may still route a typo.
    const unknownWords = reason === 'nothing_recognised' || knownWordFeatures === 0;
    const clarifyReason: ClarifyReason =
      reason !== 'unsupported_language' && unknownWords ? 'nothing_recognised' : reason;
    const language = guess.supported ? (guess.language as SupportedLanguage) : null;
    const candidates = unknownWords ? null : ([model.intents[top]!, model.intents[second]!] as const);
    return {
      ...result,
      decision: 'clarify',
      clarifyReason,
      clarifyingQuestion: clarifyingQuestion(language, candidates),
    };
  }
}
