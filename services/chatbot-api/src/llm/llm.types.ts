/**
 * The one interface every answer phraser implements: the deterministic template, OpenAI-compatible
 * servers and Gemini. The worker depends on this, never on a vendor.
 */

export type LlmProviderName = 'template' | 'openai' | 'gemini';

export type AnswerLanguage = 'en' | 'es';

export type ResultValue = string | number | null;

/**
 * The canonical query as the query service returns it in `query` of an answer (the same JSON shape; a
 * structural copy because services never import each other).
 */
export interface GroundingQuery {
  metrics: string[];
  groupBy: string[];
  filters: Record<string, string[] | undefined>;
  /** `[from, to)` as ISO-8601 instants, or null for all time. */
  time: { from: string; to: string } | null;
  timeZone: string;
  top?: { metric: string; n: number };
}

/** What the answer must be grounded in: the query and the rows the query service returned for it. */
export interface GroundingData {
  query: GroundingQuery;
  /** `[...groupBy, ...metrics]`, in the order the query service lists them. */
  columns: string[];
  rows: Array<Record<string, ResultValue>>;
  /** Per-metric totals when the caller has them; otherwise additive metrics are summed from `rows`. */
  totals?: Record<string, number | null>;
  /** True when `rows` is one page of a larger result (the query service returned a `nextCursor`). */
  truncated?: boolean;
  /** ISO 4217 code of money metrics; the warehouse reports in one currency (EUR by default). */
  currency?: string;
}

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  /** Extra instructions appended to the grounded system prompt. */
  system?: string;
  /** The conversation so far, the user's question last. */
  messages: LlmMessage[];
  grounding: GroundingData;
  /** Language of the user's question (the classifier's language detection); English by default. */
  language?: AnswerLanguage;
  maxTokens?: number;
  /** Aborts the generation (the job was cancelled, the worker is shutting down). */
  signal?: AbortSignal;
}

export interface LlmUsage {
  /** As reported by the vendor; null when it reported nothing. The template reports 0. */
  inputTokens: number | null;
  outputTokens: number | null;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'other';

/** Why the template answered instead of the configured vendor. */
export type FallbackReason =
  | 'breaker_open'
  | 'timeout'
  | 'stalled'
  | 'rate_limited'
  | 'vendor_error'
  | 'network_error'
  | 'rejected'
  | 'interrupted';

export interface LlmTokenChunk {
  type: 'token';
  text: string;
}

/**
 * The vendor failed after tokens had already been handed out: discard everything received so far; a
 * complete replacement answer follows (the template, marked as fallback in the final chunk).
 */
export interface LlmResetChunk {
  type: 'reset';
  reason: FallbackReason;
}

export interface LlmDoneChunk {
  type: 'done';
  provider: LlmProviderName;
  model: string;
  /** True when the template answered because the configured vendor could not (Q4.4). */
  fallback: boolean;
  fallbackReason?: FallbackReason;
  finishReason: FinishReason;
  usage: LlmUsage;
}

export type LlmChunk = LlmTokenChunk | LlmResetChunk | LlmDoneChunk;

export interface LlmProvider {
  readonly name: LlmProviderName;
  readonly model: string;
  /**
   * Streams the answer: `token` chunks, possibly one `reset`, and always exactly one final `done` chunk
   * unless it throws (only when `request.signal` aborts, or for a provider without a fallback).
   */
  generate(request: LlmRequest): AsyncIterable<LlmChunk>;
  /** Releases timers and breakers; idempotent. */
  close?(): void;
}

export interface LlmCompletion {
  text: string;
  provider: LlmProviderName;
  model: string;
  fallback: boolean;
  fallbackReason?: FallbackReason;
  finishReason: FinishReason;
  usage: LlmUsage;
}
