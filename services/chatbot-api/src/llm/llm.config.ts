import { secret } from '@casebook/platform';
import { z } from 'zod';

const ms = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The LLM variables; merged into the chatbot config (`baseConfigSchema(...).merge(llmConfigSchema)`).
 * The default provider is the template, so the platform runs with no key and no network.
 */
export const llmConfigSchema = z.object({
  LLM_PROVIDER: z.enum(['template', 'openai', 'gemini']).default('template'),
  /**
   * API root including its version segment, as the vendors' SDKs take it: `https://api.openai.com/v1`,
   * `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8000/v1` (vLLM), `http://127.0.0.1:8080/v1`
   * (llama.cpp), `https://generativelanguage.googleapis.com/v1beta/openai` (Gemini, OpenAI-compatible),
   * `https://generativelanguage.googleapis.com/v1beta` (Gemini native). Defaults to the vendor's own.
   */
  LLM_BASE_URL: z.string().url().optional(),
  /** Bearer key for `openai`, `x-goog-api-key` for `gemini`; local OpenAI-compatible servers need none. */
  LLM_API_KEY: secret(z.string().min(1).optional()),
  LLM_MODEL: z.string().min(1).max(200).optional(),
  LLM_MAX_TOKENS: z.coerce.number().int().min(16).max(32_768).default(512),
  /** Q4.4: budget of one whole generation (one attempt); the breaker counts it as a failure when exceeded. */
  LLM_TIMEOUT_MS: ms(100, 600_000, 60_000),
  /** Q4.4: no byte from the vendor for this long (before headers or mid-stream) aborts the call. */
  LLM_STALL_TIMEOUT_MS: ms(50, 120_000, 10_000),
  /** Retries after the first attempt, for retryable failures only and only before any token was streamed. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  LLM_RETRY_BASE_MS: ms(1, 60_000, 250),
  /** Cap of one backoff delay; a `Retry-After` longer than this is not waited for (the template answers). */
  LLM_RETRY_MAX_MS: ms(1, 120_000, 4_000),
  /** Failure percentage within the rolling window that opens the breaker. */
  LLM_BREAKER_ERROR_THRESHOLD_PCT: z.coerce.number().int().min(1).max(100).default(50),
  /** Calls within the window before the breaker may open at all (one failure out of one is not a trend). */
  LLM_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(5),
  /** How long the breaker stays open before letting one trial call through (half-open). */
  LLM_BREAKER_RESET_MS: ms(10, 600_000, 30_000),
  LLM_BREAKER_WINDOW_MS: ms(100, 600_000, 60_000),
});

export type LlmConfig = z.infer<typeof llmConfigSchema>;

export const LLM_DEFAULTS = {
  openai: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
  gemini: { baseUrl: 'https://generativelanguage.googleapis.com/v1beta', model: 'gemini-2.0-flash' },
} as const;
