import type { LlmChunk, LlmProvider, LlmRequest } from '../llm.types';
import { composeAnswer } from './compose-answer';

export const TEMPLATE_MODEL = 'template-v1';

/** Splits after each space, so the pieces concatenate back to the text exactly. */
export function words(text: string): string[] {
  return text.split(/(?<= )/).filter((piece) => piece.length > 0);
}

/**
 * The default provider and every vendor's fallback: no network, no key, no randomness. It phrases the
 * query result itself, so an answer is always grounded in the returned numbers. It streams word by word
 * through the same interface as the vendors, so the SSE path is exercised with no vendor configured.
 */
export class TemplateProvider implements LlmProvider {
  readonly name = 'template' as const;
  readonly model = TEMPLATE_MODEL;

  async *generate(request: LlmRequest): AsyncGenerator<LlmChunk> {
    const text = composeAnswer(request.grounding, request.language ?? 'en');
    const pieces = words(text);
    for (const piece of pieces) {
      request.signal?.throwIfAborted();
      yield { type: 'token', text: piece };
    }
    yield {
      type: 'done',
      provider: this.name,
      model: this.model,
      fallback: false,
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: pieces.length },
    };
  }
}
