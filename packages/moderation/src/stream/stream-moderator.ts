import { analyse } from '../engine/analyse';
import { isSpace, nextChunkEnd } from '../engine/chunks';
import { decisionOf, maxInto, scoreDecoded, sliceView, verdictOf } from '../engine/evaluate';
import { mergeSpans, redact } from '../engine/redact';
import type { Snapshot } from '../engine/snapshot';
import type { CategoryScores, ModerationContext, Span, Verdict } from '../types';

export interface StreamOptions {
  /** Code units kept back at the tail, so a word or PII span cut across tokens is seen whole (default 96). */
  holdBack?: number;
  /** Already-released text re-read before new text, for findings that reach back (default 128). */
  overlap?: number;
  /** New code units that trigger a re-check; fewer wait for the next token (default 96). */
  step?: number;
  /** What the client sees in place of a blocked tail (Q26.1: says nothing about the rule that fired). */
  replacement?: string;
}

/** What one `push` or `end` lets out. */
export interface StreamEmission {
  /** Cleared text to send now (redactions applied). */
  text: string;
  /** Set once the stream was stopped by a block; nothing after it is released. */
  stopped?: { replacement: string; verdict: Verdict };
}

export interface StreamResult extends StreamEmission {
  verdict: Verdict;
  /** Findings the final whole-text check saw that the windows did not (a regex longer than the window). */
  late: boolean;
}

export const DEFAULT_REPLACEMENT =
  "I can't share that response. Please rephrase your request, or contact support if you think this is a mistake.";

/**
 * Q21.3, Q21.4: moderates a reply while it is generated. Text is released only once it is cleared:
 * its model chunk is complete and scored, it lies `holdBack` code units before the tail, it ends at a
 * word boundary, and no redaction span crosses the release point. Each re-check reads a bounded window
 * (`overlap` + the unreleased part, itself bounded by a chunk), and runs every `step` code units, so
 * the work per token is amortised and a 10,000-word reply costs linear time.
 */
export class StreamModerator {
  private readonly holdBack: number;
  private readonly overlap: number;
  private readonly step: number;
  private readonly replacement: string;
  private readonly context: ModerationContext;
  private buffer = '';
  private released = 0;
  private analysedTo = 0;
  private chunkStart = 0;
  private readonly chunkStarts: number[] = [0];
  private readonly scores: CategoryScores = {};
  private stopped: StreamEmission['stopped'];
  private finished: StreamResult | undefined;
  /** Work counter: code units read by re-checks (tests assert linearity on it). */
  scanned = 0;

  constructor(
    private readonly snapshot: Snapshot,
    context: ModerationContext = {},
    options: StreamOptions = {},
  ) {
    this.context = { ...context, now: context.now ?? Date.now() };
    this.holdBack = options.holdBack ?? 96;
    this.overlap = options.overlap ?? 128;
    this.step = options.step ?? 96;
    this.replacement = options.replacement ?? DEFAULT_REPLACEMENT;
  }

  push(token: string): StreamEmission {
    if (this.stopped || this.finished) return { text: '', ...(this.stopped ? { stopped: this.stopped } : {}) };
    this.buffer += token;
    if (this.buffer.length - this.analysedTo < this.step) return { text: '' };
    return this.advance(false);
  }

  end(): StreamResult {
    if (this.finished) return this.finished;
    const last = this.stopped ? { text: '', stopped: this.stopped } : this.advance(true);
    // The authoritative verdict reads the whole text once (linear), with the chunk scores already taken.
    const verdict = this.stopped?.verdict ?? this.wholeVerdict();
    const late = !this.stopped && (verdict.action === 'block' || this.releasedText !== verdict.redactedText);
    this.finished = { ...last, verdict, late };
    return this.finished;
  }

  /** Everything released so far (what the client has seen). */
  get releasedText(): string {
    return this.out.join('');
  }

  private readonly out: string[] = [];

  private advance(final: boolean): StreamEmission {
    const buffer = this.buffer;
    const windowStart = this.windowStart();
    const window = buffer.slice(windowStart);
    this.scanned += window.length;
    this.analysedTo = buffer.length;
    const signals = analyse(this.snapshot, window, this.context, windowStart);
    this.scoreCompleteChunks(signals.normalised.folded, windowStart, final);
    scoreDecoded(this.snapshot, signals, final ? Infinity : buffer.length, this.scores);
    const decision = decisionOf(this.snapshot, this.context, signals, this.scores);
    if (decision.action === 'block') {
      this.stopped = { replacement: this.replacement, verdict: this.wholeVerdict() };
      return { text: '', stopped: this.stopped };
    }
    const spans = mergeSpans(decision.redactions);
    const limit = this.releaseLimit(final, spans);
    if (limit <= this.released) return { text: '' };
    const inside = spans
      .filter((s) => s.end > this.released && s.start < limit)
      .map((s) => ({
        start: Math.max(s.start, this.released) - this.released,
        end: Math.min(s.end, limit) - this.released,
      }));
    const pii = signals.pii.map((f) => ({ ...f, start: f.start - this.released, end: f.end - this.released }));
    const text = redact(buffer.slice(this.released, limit), inside, pii);
    this.released = limit;
    this.out.push(text);
    return { text };
  }

  private wholeVerdict(): Verdict {
    const signals = analyse(this.snapshot, this.buffer, this.context);
    return verdictOf(this.snapshot, this.buffer, this.context, signals, this.scores);
  }

  /** The last chunk start at or before `released - overlap`: windows begin where chunks do. */
  private windowStart(): number {
    const want = Math.max(0, this.released - this.overlap);
    let i = this.chunkStarts.length - 1;
    while (i > 0 && this.chunkStarts[i]! > want) i -= 1;
    if (i > 0) this.chunkStarts.splice(0, i); // older starts are never needed again
    return this.chunkStarts[0]!;
  }

  private scoreCompleteChunks(folded: Parameters<typeof sliceView>[0], windowStart: number, final: boolean): void {
    for (;;) {
      const end = nextChunkEnd(this.buffer, this.chunkStart, final);
      if (end < 0 || end <= this.chunkStart) return;
      if (this.snapshot.model) {
        maxInto(
          this.scores,
          this.snapshot.model.score(sliceView(folded, this.chunkStart - windowStart, end - windowStart)),
        );
      }
      this.chunkStart = end;
      this.chunkStarts.push(end);
    }
  }

  private releaseLimit(final: boolean, spans: Span[]): number {
    const buffer = this.buffer;
    if (final) return buffer.length;
    let limit = Math.min(this.chunkStart, buffer.length - this.holdBack);
    for (let moved = true; moved && limit > this.released;) {
      moved = false;
      while (limit > this.released && !isBoundary(buffer, limit)) limit -= 1;
      for (const span of spans) {
        if (span.start < limit && limit < span.end) {
          limit = span.start;
          moved = true;
        }
      }
    }
    return limit;
  }
}

/** A release point between two tokens: never inside a word, a number or an encoded blob. */
function isBoundary(text: string, at: number): boolean {
  return at === 0 || isSpace(text.charCodeAt(at - 1)) || isSpace(text.charCodeAt(at));
}
