import { AnswerComposer, type AnswerHooks, type AnswerRequest, type ComposedAnswer } from './answer-composer';

/**
 * The composer used until the answer pipeline (classifier → query service → LLM) is configured: a
 * deterministic acknowledgement, streamed word by word like a real generation.
 */
export class AcknowledgingComposer extends AnswerComposer {
  async compose(request: AnswerRequest, hooks: AnswerHooks): Promise<ComposedAnswer> {
    const content =
      (await hooks.draft()) ??
      `I received your question (${request.question.length} characters) and will answer it once the analytics pipeline is connected.`;
    await hooks.saveDraft(content);
    for (const word of content.split(/(?<= )/)) await hooks.token(word);
    return { content, intent: request.intent, modelVersion: null, provider: 'acknowledge', fallback: false };
  }
}
