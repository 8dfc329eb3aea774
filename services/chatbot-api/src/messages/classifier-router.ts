import type { IntentClassifier } from '../classifier';
import { type RoutedQuestion, QuestionRouter } from './question-router';

// Free-form writing takes tens of seconds of generation: the long lane (Q4.1).
const LONG_FORM = /\b(write|draft|essay|report|explain in detail|narrative|redacta|escribe|informe)\b/i;

/** Q7.x: the classifier decides the intent when a question arrives; the version is recorded on the message. */
export class ClassifierQuestionRouter extends QuestionRouter {
  constructor(private readonly classifier: IntentClassifier) {
    super();
  }

  route(text: string, userId: string): RoutedQuestion {
    const result = this.classifier.classify(text, { subject: userId });
    const intent = result.decision === 'route' ? result.intent : null;
    return { intent, lane: LONG_FORM.test(text) ? 'long' : 'short', modelVersion: result.modelVersion };
  }
}
