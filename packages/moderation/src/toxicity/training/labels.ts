import type { ModelCategory } from '../../types';
import type { LabelledRow } from './dataset';

/** The categories the data sets can teach; `threat` has no labels in them, so the model does not score it. */
export const TRAINED_CATEGORIES = ['toxic', 'hate', 'insult', 'profanity'] as const satisfies readonly ModelCategory[];

/** 1 positive, 0 negative, absent = the row says nothing about the category (left out of its loss). */
type LabelMap = Partial<Record<string, 0 | 1>>;

/**
 * Q22.3: which label feeds which category. GermEval's fine labels are exclusive, so a row labelled
 * `abuse` (disdain for a group) may well also insult; it is left out of `insult` rather than taught as
 * a negative. Davidson's `offensive` is mostly casual profanity, so it teaches `profanity`; its `hate`
 * rows are left out there for the same reason. ToLD-Br's binary split only teaches `toxic`.
 */
export const LABEL_MAP: Record<Exclude<(typeof TRAINED_CATEGORIES)[number], 'toxic'>, Record<string, LabelMap>> = {
  hate: { en: { hate: 1, offensive: 0, neither: 0 }, de: { abuse: 1, insult: 0, profanity: 0, other: 0 } },
  insult: { de: { insult: 1, profanity: 0, other: 0 } },
  profanity: { en: { offensive: 1, neither: 0 }, de: { profanity: 1, other: 0 } },
};

/** Target per trained category, in `TRAINED_CATEGORIES` order; -1 = unlabelled. */
export function targetsOf(row: LabelledRow): number[] {
  return TRAINED_CATEGORIES.map((category) => {
    if (category === 'toxic') return row.toxic;
    return LABEL_MAP[category][row.lang]?.[row.label] ?? -1;
  });
}
