import type { PiiFinding, Span } from '../types';

/**
 * Replaces each redaction span (merged where they overlap) with a label: the PII type when the span is a
 * PII finding, `[redacted]` otherwise. Spans are original offsets, so the cut is exact (Q25.1).
 */
export function redact(text: string, spans: readonly Span[], pii: readonly PiiFinding[]): string {
  if (spans.length === 0) return text;
  const merged = mergeSpans(spans);
  let out = '';
  let at = 0;
  for (const span of merged) {
    out += text.slice(at, span.start) + labelOf(span, pii);
    at = span.end;
  }
  return out + text.slice(at);
}

export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}

function labelOf(span: Span, pii: readonly PiiFinding[]): string {
  const types = new Set(pii.filter((f) => f.start >= span.start && f.end <= span.end).map((f) => f.type));
  return types.size === 1 ? `[${[...types][0]}]` : '[redacted]';
}
