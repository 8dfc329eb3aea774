import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  directionOf,
  evaluate,
  type ModerationContext,
  type SnapshotHolder,
  toLiteLlmGuardrail,
  toOpenAiModeration,
  type LiteLlmGuardrailResponse,
  type OpenAiModerationResponse,
  type Verdict,
} from '@casebook/moderation';
import { ProblemError } from '@casebook/platform';
import { MAX_TEXT, MAX_TEXTS, type LiteLlmGuardrailRequestDto, type ModerateRequestDto } from './moderate.dto';
import { LiveSnapshots } from '../rule-sets/live-snapshots';
import { ModerationErrorCode } from './moderation-errors';

/** One verdict as `POST /v1/moderate` answers it (Q34.2). */
export interface ModerationResult {
  action: Verdict['action'];
  categories: Verdict['categories'];
  matches: { ruleId: string; kind: string; start: number; end: number }[];
  pii: Verdict['pii'];
  redactedText: string;
}

export interface ModerateResponse extends Partial<ModerationResult> {
  /** For a batch (`texts`): one result per text, in order. */
  results?: ModerationResult[];
  ruleSetVersion: string;
  engineVersion: string;
}

const OPENAI_MODEL = 'casebook-moderation';

/**
 * The engine behind the API, on the snapshot this instance serves (`LiveSnapshots`): a published rule
 * set replaces it atomically while requests in flight finish on the one they started with (Q24.3).
 */
@Injectable()
export class ModerationService {
  private readonly holder: SnapshotHolder;

  constructor(live: LiveSnapshots) {
    this.holder = live.holder;
  }

  moderate(request: ModerateRequestDto): ModerateResponse {
    const single = request.text !== undefined;
    if (single === (request.texts !== undefined) || request.texts?.length === 0) {
      throw new ProblemError({
        code: ModerationErrorCode.TextRequired,
        detail: 'Send either `text` (one string) or `texts` (1 to 32 strings), not both.',
      });
    }
    const context: ModerationContext = {
      direction: request.direction,
      accountRegion: request.region,
      ipRegion: request.context?.ipRegion,
      plan: request.context?.plan,
      roles: request.context?.roles,
      reputation: request.context?.reputation,
    };
    const verdicts = this.evaluateAll(single ? [request.text!] : request.texts!, context);
    // Every verdict of one call comes from the same snapshot, so the first one names it.
    const versions = { ruleSetVersion: verdicts[0]!.snapshotVersion, engineVersion: verdicts[0]!.engineVersion };
    return single ? { ...resultOf(verdicts[0]!), ...versions } : { results: verdicts.map(resultOf), ...versions };
  }

  /** OpenAI's moderation endpoint: the output direction, the model name echoed or casebook's own. */
  openAiModeration(input: unknown, model: string | undefined): OpenAiModerationResponse {
    const verdicts = this.evaluateAll(textsOfOpenAiInput(input), { direction: 'output' });
    return toOpenAiModeration(`modr-${randomUUID()}`, model ?? OPENAI_MODEL, verdicts);
  }

  /** LiteLLM's generic guardrail: a request's texts are user input, a response's are model output. */
  liteLlmGuardrail(request: LiteLlmGuardrailRequestDto): LiteLlmGuardrailResponse {
    const texts = request.texts ?? [];
    if (texts.length === 0) return { action: 'NONE' };
    return toLiteLlmGuardrail(this.evaluateAll(texts, { direction: directionOf({ input_type: request.input_type }) }));
  }

  private evaluateAll(texts: readonly string[], context: ModerationContext): Verdict[] {
    // One snapshot and one instant for the whole batch: a publish during the call, or a time-windowed
    // rule, cannot treat two texts of one request differently.
    const snapshot = this.holder.current();
    const now = Date.now();
    return texts.map((text) => evaluate(snapshot, text, { ...context, now }));
  }
}

function resultOf(verdict: Verdict): ModerationResult {
  return {
    action: verdict.action,
    categories: verdict.categories,
    matches: verdict.matches.map(({ ruleId, kind, start, end }) => ({ ruleId, kind, start, end })),
    pii: verdict.pii,
    redactedText: verdict.redactedText,
  };
}

/** OpenAI accepts a string, a list of strings, or a list of `{ type: 'text', text }` parts. */
function textsOfOpenAiInput(input: unknown): string[] {
  const parts = Array.isArray(input) ? input : [input];
  const texts = parts.map((part) =>
    typeof part === 'string'
      ? part
      : part !== null && typeof part === 'object' && (part as { type?: unknown }).type === 'text'
        ? (part as { text?: unknown }).text
        : undefined,
  );
  if (
    texts.length === 0 ||
    texts.length > MAX_TEXTS ||
    !texts.every((t): t is string => typeof t === 'string' && t.length <= MAX_TEXT)
  ) {
    throw new ProblemError({
      code: ModerationErrorCode.TextRequired,
      detail: `\`input\` must be a string or 1 to ${MAX_TEXTS} strings (or text parts) of at most ${MAX_TEXT} characters.`,
    });
  }
  return texts;
}
