import { ConfigError, type Logger, type Metrics } from '@casebook/platform';
import { LLM_DEFAULTS, type LlmConfig } from './llm.config';
import type { LlmProvider } from './llm.types';
import { ResilientLlmProvider } from './resilience/resilient.provider';
import { TemplateProvider } from './template/template.provider';
import { GeminiProvider } from './vendors/gemini.provider';
import { OpenAiProvider } from './vendors/openai.provider';

export interface LlmDeps {
  metrics: Metrics;
  logger: Logger;
}

/**
 * The provider the config asks for. A vendor is always wrapped in the breaker, retries and the template
 * fallback; the template alone needs no wrapping (it has no network to fail).
 */
export function createLlmProvider(config: LlmConfig, deps: LlmDeps): LlmProvider {
  const template = new TemplateProvider();
  if (config.LLM_PROVIDER === 'template') return template;

  const defaults = LLM_DEFAULTS[config.LLM_PROVIDER];
  const common = {
    baseUrl: config.LLM_BASE_URL ?? defaults.baseUrl,
    model: config.LLM_MODEL ?? defaults.model,
    maxTokens: config.LLM_MAX_TOKENS,
    stallTimeoutMs: config.LLM_STALL_TIMEOUT_MS,
  };
  let vendor: LlmProvider;
  if (config.LLM_PROVIDER === 'gemini') {
    if (!config.LLM_API_KEY) throw new ConfigError(['LLM_API_KEY: required when LLM_PROVIDER=gemini']);
    vendor = new GeminiProvider({ ...common, apiKey: config.LLM_API_KEY });
  } else {
    // Local OpenAI-compatible servers (Ollama, vLLM, llama.cpp) run without a key; OpenAI itself does not.
    if (!config.LLM_API_KEY && !config.LLM_BASE_URL) {
      throw new ConfigError(['LLM_API_KEY: required when LLM_PROVIDER=openai talks to api.openai.com']);
    }
    vendor = new OpenAiProvider({ ...common, apiKey: config.LLM_API_KEY });
  }
  return new ResilientLlmProvider(
    vendor,
    template,
    {
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
      retryBaseMs: config.LLM_RETRY_BASE_MS,
      retryMaxMs: config.LLM_RETRY_MAX_MS,
      breaker: {
        errorThresholdPercentage: config.LLM_BREAKER_ERROR_THRESHOLD_PCT,
        volumeThreshold: config.LLM_BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: config.LLM_BREAKER_RESET_MS,
        rollingWindowMs: config.LLM_BREAKER_WINDOW_MS,
      },
    },
    deps,
  );
}
