import type { Lane } from './messages.repository';

export interface RoutedQuestion {
  intent: string | null;
  lane: Lane;
  modelVersion: string | null;
}

/**
 * Decides, when a question arrives, which lane answers it. The intent classifier plugs in here; the
 * worker classifies again with the user's current context when it runs.
 */
export abstract class QuestionRouter {
  abstract route(text: string, userId: string): Promise<RoutedQuestion> | RoutedQuestion;
}

// Requests for free-form writing go to the long lane: an LLM generation of tens of seconds.
const LONG_FORM = /\b(write|draft|essay|report|explain in detail|narrative|redacta|escribe|informe)\b/i;

/** Until a model is configured: long-form requests to the long lane, everything else to the short one. */
export class KeywordQuestionRouter extends QuestionRouter {
  route(text: string): RoutedQuestion {
    return LONG_FORM.test(text)
      ? { intent: 'open_analysis', lane: 'long', modelVersion: null }
      : { intent: null, lane: 'short', modelVersion: null };
  }
}
