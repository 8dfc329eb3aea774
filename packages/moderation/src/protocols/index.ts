export { OPENAI_CATEGORIES, toOpenAiModeration } from './openai';
export type { OpenAiCategory, OpenAiModerationResponse, OpenAiModerationResult } from './openai';
export { directionOf, toLiteLlmGuardrail } from './litellm';
export type { LiteLlmGuardrailRequest, LiteLlmGuardrailResponse } from './litellm';
