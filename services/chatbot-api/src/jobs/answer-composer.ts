import type { MessageView } from '../messages/messages.repository';

export interface AnswerRequest {
  replyId: string;
  userId: string;
  /** The user's roles and region as they are now, not when the question was asked (Q8.3). */
  roles: string[];
  region: string | null;
  question: string;
  /** Earlier messages of the branch, oldest first. */
  history: MessageView[];
  intent: string | null;
  canQueryWarehouse: boolean;
}

export interface ComposedAnswer {
  content: string;
  intent: string | null;
  modelVersion: string | null;
  provider: string;
  fallback: boolean;
}

export interface AnswerHooks {
  /** Streams a piece of text as it is produced (already through the outbound gate). */
  token(text: string): Promise<void>;
  /** Keeps the full generated text before post-processing (Q4.3: no second generation on retry). */
  saveDraft(text: string): Promise<void>;
  draft(): Promise<string | null>;
}

/** Turns a question into an answer: classification, query service, LLM phrasing. */
export abstract class AnswerComposer {
  abstract compose(request: AnswerRequest, hooks: AnswerHooks): Promise<ComposedAnswer>;
}
