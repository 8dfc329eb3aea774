import type { GateContext, GateResult, OutboundGate, OutboundStreamReview, StreamRelease } from './outbound-gate';

export interface PassThroughGateOptions {
  /**
   * Characters held back at the tail of a stream until more text (or the end) arrives. Zero passes
   * everything at once; a positive window exercises the same hold-back path the moderation engine
   * needs (a phrase split across tokens is reviewed whole before any of it leaves).
   */
  holdBackChars?: number;
  /** Called for every review; lets tests prove that a path went through the gate. */
  onReview?: (event: { kind: 'text' | 'stream'; text: string; context: GateContext }) => void;
}

/** Allows everything. The placeholder that keeps the door in place until moderation plugs in. */
export class PassThroughGate implements OutboundGate {
  private readonly holdBack: number;

  constructor(private readonly options: PassThroughGateOptions = {}) {
    this.holdBack = Math.max(0, options.holdBackChars ?? 0);
  }

  async review(text: string, context: GateContext): Promise<GateResult> {
    this.options.onReview?.({ kind: 'text', text, context });
    return { text, verdict: 'allow' };
  }

  openStream(context: GateContext): OutboundStreamReview {
    let held = '';
    const release = (text: string): StreamRelease => ({ text, verdict: 'allow', stop: false });
    return {
      push: async (text) => {
        held += text;
        // Never split a surrogate pair between what is released and what is held.
        let cut = Math.max(0, held.length - this.holdBack);
        if (cut > 0 && cut < held.length && /[\uD800-\uDBFF]/.test(held[cut - 1]!)) cut -= 1;
        const out = held.slice(0, cut);
        held = held.slice(cut);
        if (out) this.options.onReview?.({ kind: 'stream', text: out, context });
        return release(out);
      },
      end: async () => {
        const out = held;
        held = '';
        if (out) this.options.onReview?.({ kind: 'stream', text: out, context });
        return release(out);
      },
    };
  }
}
