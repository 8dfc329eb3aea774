import type { ModelCategory } from '../types';
import type { RuleDefinition, RuleSetDefinition } from '../rules';

export type CategoryThresholds = Partial<Record<ModelCategory, { review?: number; block?: number }>>;

/**
 * Fallback thresholds for when no model artifact provides calibrated ones. Q22.1: block only above a
 * confident score (precision matters most for blocks), send the band below it to review.
 */
export const FALLBACK_CATEGORY_THRESHOLDS: CategoryThresholds = Object.freeze({
  toxic: { review: 0.6, block: 0.9 },
  insult: { review: 0.7, block: 0.95 },
  hate: { review: 0.5, block: 0.85 },
  profanity: { review: 0.8 },
  threat: { review: 0.5, block: 0.8 },
});

const PROFANITY_LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'pt'] as const;

/**
 * Profanity is lexical: the whole-word lists send it to review without the false friends of character
 * n-grams ("a classic assessment of the cocktail menu" scores 0.52 for profanity under toxicity-v3),
 * so the model's profanity score only blocks, in its confident band.
 */
const REVIEWED_BY_WORD_LISTS: readonly ModelCategory[] = ['profanity'];

function categoryRules(thresholds: CategoryThresholds): RuleDefinition[] {
  return (Object.keys(thresholds) as ModelCategory[]).flatMap((category): RuleDefinition[] => {
    const { review, block } = thresholds[category] ?? {};
    const own = REVIEWED_BY_WORD_LISTS.includes(category) ? { block } : { review, block };
    if (own.review === undefined && own.block === undefined) return [];
    return [
      {
        id: `model-${category}`,
        description: `Toxicity model score for ${category}`,
        match: { kind: 'category', category, ...own },
      },
    ];
  });
}

/** The base set every user gets, whatever the region. */
export function defaultRuleSet(thresholds: CategoryThresholds): RuleSetDefinition {
  return {
    id: 'default',
    region: 'default',
    description: 'Base rules: profanity, toxicity, prompt injection, secrets, financial advice, card numbers',
    rules: [
      // Word lists catch the word, not the intent ("that was a shit quarter" is not abuse): a list hit
      // goes to review, and blocking is left to the model's confident band (Q22.1, Q28.1).
      ...PROFANITY_LANGUAGES.map((lang): RuleDefinition => ({
        id: `profanity-${lang}`,
        description: `Profanity word list (${lang})`,
        action: 'review',
        match: { kind: 'keyword', list: `profanity:${lang}` },
      })),
      ...categoryRules(thresholds),
      // An injection attempt from a user may be curiosity; the model repeating one is a compromise.
      { id: 'injection-input', direction: 'input', action: 'review', match: { kind: 'injection', minScore: 0.5 } },
      { id: 'injection-output', direction: 'output', action: 'block', match: { kind: 'injection', minScore: 0.5 } },
      {
        id: 'secret-api-key',
        description: 'API keys (sk-… style, GitHub tokens)',
        action: 'redact',
        match: { kind: 'regex', pattern: String.raw`\b(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{36})` },
      },
      {
        id: 'secret-aws-access-key',
        action: 'redact',
        match: { kind: 'regex', pattern: String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b` },
      },
      {
        id: 'secret-private-key',
        action: 'redact',
        match: {
          kind: 'regex',
          pattern: String.raw`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----`,
        },
      },
      // Q26.3: identifiers that open accounts are redacted in every region; the regional sets add the rest.
      {
        id: 'pii-financial-and-national-ids',
        action: 'redact',
        match: { kind: 'pii', types: ['credit_card', 'iban', 'us_ssn', 'br_cpf'] },
      },
      // A reply never hands out someone's contact details, whatever the region (data minimisation); the
      // regional sets add names, addresses and the rest, and their own rules for what users send.
      {
        id: 'pii-contact-in-replies',
        direction: 'output',
        action: 'redact',
        match: { kind: 'pii', types: ['email', 'phone'] },
      },
      // Q31.1: the same text is fine for one plan and not for another, so the audience is part of the rule.
      {
        id: 'financial-advice',
        description: 'Personal investment advice is a premium feature',
        direction: 'output',
        action: 'block',
        when: { notPlans: ['premium'] },
        match: {
          kind: 'keyword',
          terms: [
            'buy this stock',
            'guaranteed returns',
            'investment advice',
            'you should invest in',
            'sell your shares',
          ],
        },
      },
      // Q31.3: a marker rule raises a flag and changes nothing now; a later rule requires the flag.
      {
        id: 'card-number-requested',
        direction: 'input',
        action: 'allow',
        setsFlag: 'asked_for_card',
        match: {
          kind: 'keyword',
          terms: ['card number', 'credit card number', 'card details', 'cvv', 'security code'],
        },
      },
      {
        id: 'card-number-after-request',
        description: 'A card number in a reply to a conversation that asked for one is a disclosure, not an accident',
        direction: 'output',
        action: 'block',
        requiresFlag: 'asked_for_card',
        match: { kind: 'pii', types: ['credit_card'] },
      },
    ],
  };
}
