import { ACTIONS, type Action, type ModerationContext } from '../types';
import { evaluate } from './evaluate';
import type { Snapshot } from './snapshot';

export interface PreviewSample {
  text: string;
  context?: ModerationContext;
}

export interface PreviewChange {
  /** Index of the sample in the input. */
  sample: number;
  from: Action;
  to: Action;
  /** The rules that fired under each version. */
  fromRules: string[];
  toRules: string[];
  /** The sample as the draft would return it: redacted, never the raw text. */
  redactedText: string;
}

export interface PreviewDiff {
  activeVersion: string;
  draftVersion: string;
  samples: number;
  counts: { active: Record<Action, number>; draft: Record<Action, number> };
  /** Samples whose action differs, up to `limit`; `changed` counts all of them. */
  changed: number;
  examples: PreviewChange[];
}

const zero = (): Record<Action, number> => Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;

/**
 * Q24.4: evaluates a draft beside the active snapshot on the same samples at the same instant and
 * reports what would change: counts per action under each, and the samples whose action moved.
 */
export function previewDiff(
  active: Snapshot,
  draft: Snapshot,
  samples: readonly PreviewSample[],
  options: { now?: number; limit?: number } = {},
): PreviewDiff {
  const now = options.now ?? Date.now();
  const limit = options.limit ?? 50;
  const counts = { active: zero(), draft: zero() };
  const examples: PreviewChange[] = [];
  let changed = 0;
  samples.forEach((sample, index) => {
    const context = { ...sample.context, now: sample.context?.now ?? now };
    const before = evaluate(active, sample.text, context);
    const after = evaluate(draft, sample.text, context);
    counts.active[before.action] += 1;
    counts.draft[after.action] += 1;
    if (before.action === after.action) return;
    changed += 1;
    if (examples.length < limit) {
      examples.push({
        sample: index,
        from: before.action,
        to: after.action,
        fromRules: rulesOf(before.matches),
        toRules: rulesOf(after.matches),
        redactedText: after.redactedText,
      });
    }
  });
  return {
    activeVersion: active.version,
    draftVersion: draft.version,
    samples: samples.length,
    counts,
    changed,
    examples,
  };
}

function rulesOf(matches: readonly { ruleId: string }[]): string[] {
  return [...new Set(matches.map((m) => m.ruleId))].sort();
}
