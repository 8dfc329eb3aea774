import { LlmError } from '../llm-errors';
import type { FinishReason, LlmChunk, LlmProvider, LlmRequest, LlmUsage } from '../llm.types';
import { groundedSystemPrompt } from './prompt';
import { parseJson, postForEvents } from './vendor-http';

export interface OpenAiProviderOptions {
  /** API root with its version, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  maxTokens: number;
  stallTimeoutMs: number;
}

/** One `data:` payload of a streamed chat completion (`object: "chat.completion.chunk"`). */
interface ChatCompletionChunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', content_filter: 'content_filter' };

/**
 * OpenAI-compatible chat completions with `stream: true`: OpenAI itself, vLLM, Ollama, llama.cpp's
 * server and Gemini's OpenAI-compatible endpoint all speak it. No retries or fallback here; that is the
 * resilient wrapper's job, so this class is only the wire format.
 */
export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly model: string;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.model = options.model;
  }

  async *generate(request: LlmRequest): AsyncGenerator<LlmChunk> {
    const events = postForEvents({
      vendor: 'openai',
      url: `${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      headers: this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {},
      body: {
        model: this.model,
        stream: true,
        // Usage arrives in one last chunk with empty `choices`; servers that ignore the option send none.
        stream_options: { include_usage: true },
        max_tokens: request.maxTokens ?? this.options.maxTokens,
        temperature: 0.2,
        messages: [
          { role: 'system', content: groundedSystemPrompt(request) },
          ...request.messages.map((m) => ({ role: m.role, content: m.content })),
        ],
      },
      stallTimeoutMs: this.options.stallTimeoutMs,
      signal: request.signal,
    });

    let finishReason: FinishReason | undefined;
    let model = this.model;
    const usage: LlmUsage = { inputTokens: null, outputTokens: null };
    for await (const event of events) {
      if (event.data === '[DONE]') {
        if (!finishReason) throw new LlmError('truncated', 'openai ended the stream without a finish reason');
        yield { type: 'done', provider: this.name, model, fallback: false, finishReason, usage };
        return;
      }
      const chunk = parseJson<ChatCompletionChunk>('openai', event.data);
      // vLLM and others report a failure inside an already started stream this way.
      if (chunk.error) throw new LlmError('protocol', `openai stream error: ${chunk.error.message ?? 'unknown'}`);
      if (chunk.model) model = chunk.model;
      if (chunk.usage) {
        usage.inputTokens = chunk.usage.prompt_tokens ?? null;
        usage.outputTokens = chunk.usage.completion_tokens ?? null;
      }
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content;
      if (text) yield { type: 'token', text };
      if (choice?.finish_reason) finishReason = FINISH[choice.finish_reason] ?? 'other';
    }
    // A finish reason means the answer is whole even if a lenient server skipped `[DONE]`.
    if (!finishReason) throw new LlmError('truncated', 'openai closed the stream before data: [DONE]');
    yield { type: 'done', provider: this.name, model, fallback: false, finishReason, usage };
  }
}
