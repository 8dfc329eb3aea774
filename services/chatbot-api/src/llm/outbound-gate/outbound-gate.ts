/**
 * The one door every outbound assistant text passes through — stored, returned or streamed — so the
 * moderation engine (case study 3) can allow, redact, send to review or block it. The provider layer
 * does not call it; the reply pipeline does, and a test proves no route or stream goes around it.
 */

export type GateVerdict = 'allow' | 'redact' | 'review' | 'block';

export interface GateContext {
  /** The user the text is shown to (pseudonymised by the gate before any audit). */
  userId: string;
  region?: string | null;
  language?: string;
  conversationId?: string;
  messageId?: string;
  /** Where the text goes; a streamed text is reviewed with a held-back tail. */
  channel: 'stored' | 'returned' | 'streamed';
  /** True when the template phrased the answer (the vendor fell back). */
  fallback?: boolean;
}

export interface GateResult {
  /** The text to send: the original, a redacted version, or a replacement when blocked. */
  text: string;
  verdict: GateVerdict;
  categories?: string[];
  ruleIds?: string[];
  ruleSetVersion?: string;
}

/** What a streaming review lets out after a piece of text arrived. */
export interface StreamRelease {
  /** Text cleared for the client now (may be empty while the tail is held back). */
  text: string;
  verdict: GateVerdict;
  /**
   * The stream must stop: `text` is the replacement for whatever was held back, and nothing more of
   * the generation may be sent (abort it).
   */
  stop: boolean;
}

export interface OutboundStreamReview {
  /** Feeds the next piece of the generation; releases what is cleared, holding back a tail window. */
  push(text: string): Promise<StreamRelease>;
  /** The generation ended: reviews and releases the held-back tail. */
  end(): Promise<StreamRelease>;
}

export interface OutboundGate {
  /** Reviews a whole text (a stored or returned reply). */
  review(text: string, context: GateContext): Promise<GateResult>;
  /** Starts reviewing a streamed reply; one review per generation (a `reset` starts a new one). */
  openStream(context: GateContext): OutboundStreamReview;
}

/** Nest injection token; bound to the moderation engine (`EngineGate`) in `LlmModule`. */
export const OUTBOUND_GATE = Symbol('OUTBOUND_GATE');
