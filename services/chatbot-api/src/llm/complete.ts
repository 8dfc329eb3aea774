import type { LlmCompletion, LlmProvider, LlmRequest } from './llm.types';

/** Collects a generation into one text, for callers that do not stream (stored replies, tests). */
export async function complete(provider: LlmProvider, request: LlmRequest): Promise<LlmCompletion> {
  let text = '';
  for await (const chunk of provider.generate(request)) {
    if (chunk.type === 'token') text += chunk.text;
    else if (chunk.type === 'reset') text = '';
    else {
      const { type: _type, ...done } = chunk;
      return { text, ...done };
    }
  }
  throw new Error(`LLM provider '${provider.name}' ended its stream without a final chunk`);
}
