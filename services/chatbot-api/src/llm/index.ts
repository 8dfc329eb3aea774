// The LLM provider layer (Q4.4) and the outbound gate; the reply pipeline imports from here only.
export * from './llm.types';
export * from './llm.config';
export { LlmError, type LlmErrorKind } from './llm-errors';
export { complete } from './complete';
export { createLlmProvider, type LlmDeps } from './create-provider';
export { LLM_PROVIDER, LlmModule } from './llm.module';
export { TemplateProvider, TEMPLATE_MODEL } from './template/template.provider';
export { composeAnswer } from './template/compose-answer';
export { describeQuery } from './template/describe-query';
export { OpenAiProvider, type OpenAiProviderOptions } from './vendors/openai.provider';
export { GeminiProvider, type GeminiProviderOptions } from './vendors/gemini.provider';
export { ResilientLlmProvider, type ResilienceOptions } from './resilience/resilient.provider';
export { BREAKER_STATE } from './resilience/llm-metrics';
export * from './outbound-gate/outbound-gate';
export { PassThroughGate, type PassThroughGateOptions } from './outbound-gate/pass-through.gate';
