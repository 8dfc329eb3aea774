import { LlmError } from '../llm-errors';
import type { FinishReason, LlmChunk, LlmProvider, LlmRequest, LlmUsage } from '../llm.types';
import { groundedSystemPrompt } from './prompt';
import { parseJson, postForEvents } from './vendor-http';

export interface GeminiProviderOptions {
  /** API root with its version, e.g. `https://generativelanguage.googleapis.com/v1beta`. */
  baseUrl: string;
  apiKey: string;
  model: string;
  maxTokens: number;
  stallTimeoutMs: number;
}

/** One `data:` payload of `streamGenerateContent?alt=sse`: a `GenerateContentResponse`. */
interface GenerateContentResponse {
  candidates?: Array<{
    content?: { parts?: Array<{ text?: string; thought?: boolean }> };
    finishReason?: string;
  }>;
  promptFeedback?: { blockReason?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number };
  modelVersion?: string;
  error?: { message?: string; status?: string };
}

const FINISH: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
};

/**
 * Gemini's native REST API, streamed as server-sent events. Unlike OpenAI there is no `[DONE]`: the
 * stream simply ends, so a chunk with `finishReason` is what tells a whole answer from a cut one.
 */
export class GeminiProvider implements LlmProvider {
  readonly name = 'gemini' as const;
  readonly model: string;

  constructor(private readonly options: GeminiProviderOptions) {
    this.model = options.model.replace(/^models\//, '');
  }

  async *generate(request: LlmRequest): AsyncGenerator<LlmChunk> {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const events = postForEvents({
      vendor: 'gemini',
      url: `${base}/models/${encodeURIComponent(this.model)}:streamGenerateContent?alt=sse`,
      // The key goes in a header, never in the URL, so it cannot end up in an access log or an error.
      headers: { 'x-goog-api-key': this.options.apiKey },
      body: {
        systemInstruction: { parts: [{ text: groundedSystemPrompt(request) }] },
        contents: request.messages.map((m) => ({
          role: m.role === 'assistant' ? 'model' : 'user',
          parts: [{ text: m.content }],
        })),
        generationConfig: { maxOutputTokens: request.maxTokens ?? this.options.maxTokens, temperature: 0.2 },
      },
      stallTimeoutMs: this.options.stallTimeoutMs,
      signal: request.signal,
    });

    let finishReason: FinishReason | undefined;
    let model = this.model;
    const usage: LlmUsage = { inputTokens: null, outputTokens: null };
    for await (const event of events) {
      const chunk = parseJson<GenerateContentResponse>('gemini', event.data);
      if (chunk.error) {
        throw new LlmError('protocol', `gemini stream error: ${chunk.error.status ?? ''} ${chunk.error.message ?? ''}`);
      }
      if (chunk.promptFeedback?.blockReason) {
        throw new LlmError('blocked', `gemini refused the prompt: ${chunk.promptFeedback.blockReason}`);
      }
      if (chunk.modelVersion) model = chunk.modelVersion;
      if (chunk.usageMetadata) {
        usage.inputTokens = chunk.usageMetadata.promptTokenCount ?? usage.inputTokens;
        usage.outputTokens = chunk.usageMetadata.candidatesTokenCount ?? usage.outputTokens;
      }
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        // Thinking models stream their reasoning as parts marked `thought`; it is not the answer.
        if (part.text && !part.thought) yield { type: 'token', text: part.text };
      }
      if (candidate?.finishReason) finishReason = FINISH[candidate.finishReason] ?? 'other';
    }
    if (!finishReason) throw new LlmError('truncated', 'gemini ended the stream without a finish reason');
    yield { type: 'done', provider: this.name, model, fallback: false, finishReason, usage };
  }
}
