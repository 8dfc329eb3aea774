import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, LOGGER, type Logger, Metrics } from '@casebook/platform';
import { createLlmProvider } from './create-provider';
import type { LlmConfig } from './llm.config';
import type { LlmProvider } from './llm.types';
import { OUTBOUND_GATE } from './outbound-gate/outbound-gate';
import { EngineGate } from './outbound-gate/engine.gate';

/** Nest injection token of the configured {@link LlmProvider}. */
export const LLM_PROVIDER = Symbol('LLM_PROVIDER');

/** Stops the breaker's timers on shutdown. */
@Injectable()
class LlmLifecycle implements OnApplicationShutdown {
  constructor(@Inject(LLM_PROVIDER) private readonly provider: LlmProvider) {}

  onApplicationShutdown(): void {
    this.provider.close?.();
  }
}

/**
 * The configured provider (`LLM_PROVIDER`) and the outbound gate (the moderation engine, in process). Needs the
 * chatbot config merged with `llmConfigSchema`.
 */
@Module({
  providers: [
    {
      provide: LLM_PROVIDER,
      inject: [CONFIG, Metrics, LOGGER],
      useFactory: (config: LlmConfig, metrics: Metrics, logger: Logger) =>
        createLlmProvider(config, { metrics, logger }),
    },
    // Every outbound assistant text passes the moderation engine in process (ARCHITECTURE §6).
    { provide: OUTBOUND_GATE, useFactory: () => new EngineGate() },
    LlmLifecycle,
  ],
  exports: [LLM_PROVIDER, OUTBOUND_GATE],
})
export class LlmModule {}
