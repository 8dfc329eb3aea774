import {
  DEFAULT_REPLACEMENT,
  evaluate,
  type ModerationContext,
  shippedSnapshot,
  SnapshotHolder,
  StreamModerator,
  type Verdict,
} from '@casebook/moderation';
import type { GateContext, GateResult, OutboundGate, OutboundStreamReview, StreamRelease } from './outbound-gate';

/**
 * ARCHITECTURE §6, Q21.1, Q21.2: the moderation engine in process, on the snapshot this instance holds
 * (the shipped rule sets until moderation-service publishes; `holder.swap` installs a newer one). A whole
 * text is evaluated once; a stream goes through the streaming moderator, which releases only cleared
 * text and stops with a replacement on a block. A blocked reply reads the same whatever rule fired
 * (Q26.1); a redaction rewrites only what it covers; the review band is delivered and marked `review`.
 */
export class EngineGate implements OutboundGate {
  constructor(readonly holder: SnapshotHolder = new SnapshotHolder(shippedSnapshot())) {}

  async review(text: string, context: GateContext): Promise<GateResult> {
    const snapshot = this.holder.current();
    return resultOf(evaluate(snapshot, text, contextOf(context)), snapshot.version);
  }

  openStream(context: GateContext): OutboundStreamReview {
    const snapshot = this.holder.current();
    const stream = new StreamModerator(snapshot, contextOf(context), { replacement: DEFAULT_REPLACEMENT });
    let stopped = false;
    const release = (emission: { text: string; stopped?: { replacement: string } }): StreamRelease => {
      if (stopped) return { text: '', verdict: 'block', stop: true };
      if (emission.stopped) {
        stopped = true;
        return { text: emission.text + emission.stopped.replacement, verdict: 'block', stop: true };
      }
      return { text: emission.text, verdict: 'allow', stop: false };
    };
    return {
      push: async (text) => release(stream.push(text)),
      end: async () => {
        if (stopped) return { text: '', verdict: 'block', stop: true };
        const result = stream.end();
        const out = release(result);
        return out.stop ? out : { ...out, verdict: result.verdict.action };
      },
    };
  }
}

function contextOf(context: GateContext): ModerationContext {
  return { direction: 'output', accountRegion: context.region ?? undefined };
}

function resultOf(verdict: Verdict, version: string): GateResult {
  const ruleIds = [...new Set(verdict.matches.map((m) => m.ruleId))];
  // What fired: model categories past a threshold and PII types, never the scores of the rest.
  const categories = [
    ...new Set([
      ...verdict.matches.flatMap((m) => (m.category ? [m.category] : [])),
      ...verdict.pii.map((p) => `pii:${p.type}`),
    ]),
  ];
  if (verdict.action === 'block')
    return { text: DEFAULT_REPLACEMENT, verdict: 'block', ruleIds, categories, ruleSetVersion: version };
  return { text: verdict.redactedText, verdict: verdict.action, ruleIds, categories, ruleSetVersion: version };
}
