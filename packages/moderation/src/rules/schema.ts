import { z } from 'zod';
import { MODEL_CATEGORIES, PII_TYPES } from '../types';

/** Lower-case slug; no `:` so `rule:<id>` keyword-list ids stay unambiguous. */
const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/, 'must be a slug: a-z, 0-9, ".", "_", "-", at most 64 characters');
const score = z.number().min(0).max(1);
const flag = z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/, 'must be a flag name: a-z, 0-9, "_", ".", ":", "-"');
const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (24:00 allowed as an end)');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const keywordMatch = z
  .object({
    kind: z.literal('keyword'),
    terms: z.array(z.string().trim().min(1).max(200)).min(1).max(10_000).optional(),
    /** A named word list shipped with the engine, e.g. `profanity:en`. */
    list: z
      .string()
      .regex(/^[a-z0-9_-]+:[a-z0-9_-]+$/, 'must name a word list like "profanity:en"')
      .optional(),
  })
  .strict();

const regexMatch = z
  .object({ kind: z.literal('regex'), pattern: z.string().min(1), flags: z.enum(['i', '']).optional() })
  .strict();

const piiMatch = z
  .object({ kind: z.literal('pii'), types: z.array(z.enum(PII_TYPES)).min(1), minScore: score.optional() })
  .strict();

// Q22.1: two thresholds, a confident one that blocks and the band below it that goes to review.
const categoryMatch = z
  .object({
    kind: z.literal('category'),
    category: z.enum(MODEL_CATEGORIES),
    review: score.optional(),
    block: score.optional(),
  })
  .strict();

const injectionMatch = z.object({ kind: z.literal('injection'), minScore: score.optional() }).strict();

// Q31.3: fires on every turn after an earlier turn raised `flag`.
const conversationMatch = z.object({ kind: z.literal('conversation'), flag }).strict();

const matchSchema = z.discriminatedUnion('kind', [
  keywordMatch,
  regexMatch,
  piiMatch,
  categoryMatch,
  injectionMatch,
  conversationMatch,
]);

const windowSchema = z
  .object({
    zone: z.string().min(1),
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    from: clock,
    to: clock,
  })
  .strict();

// Q31.1 / Q31.4: who the rule is for.
const whenSchema = z
  .object({
    plans: z.array(z.string().min(1)).min(1).optional(),
    notPlans: z.array(z.string().min(1)).min(1).optional(),
    roles: z.array(z.string().min(1)).min(1).optional(),
    notRoles: z.array(z.string().min(1)).min(1).optional(),
    minReputation: score.optional(),
    maxReputation: score.optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: slug,
    description: z.string().max(500).optional(),
    direction: z.enum(['input', 'output', 'both']).default('both'),
    /** Omitted for category rules (their thresholds decide); `allow` only for marker rules that set a flag. */
    action: z.enum(['allow', 'redact', 'review', 'block']).optional(),
    match: matchSchema,
    window: windowSchema.optional(),
    when: whenSchema.optional(),
    /** Q31.3: the verdict of a turn this rule fires on carries the flag, for later turns. */
    setsFlag: flag.optional(),
    /** Q31.3: the rule applies only when an earlier turn of the conversation raised this flag. */
    requiresFlag: flag.optional(),
    severity: z.number().int().min(0).max(100).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const match = rule.match;
    const kind = match.kind;
    // Cross-field checks live here: zod's discriminated union takes plain objects only.
    if (match.kind === 'keyword' && match.terms === undefined && match.list === undefined) {
      ctx.addIssue({ code: 'custom', path: ['match', 'terms'], message: 'needs terms or list' });
    }
    if (match.kind === 'category') {
      if (match.review === undefined && match.block === undefined) {
        ctx.addIssue({ code: 'custom', path: ['match', 'review'], message: 'needs review or block' });
      } else if (match.review !== undefined && match.block !== undefined && match.review > match.block) {
        ctx.addIssue({ code: 'custom', path: ['match', 'review'], message: 'must not exceed the block threshold' });
      }
    }
    if (kind === 'category' && rule.action !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: 'category rules take their action from review/block thresholds',
      });
    }
    if (kind !== 'category' && rule.action === undefined) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'required: redact, review or block' });
    }
    if (rule.action === 'allow' && rule.setsFlag === undefined) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: '"allow" is only for marker rules that set a flag' });
    }
    if (rule.action === 'redact' && (kind === 'category' || kind === 'conversation')) {
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: `"redact" needs a span; ${kind} rules cover the whole text`,
      });
    }
    const when = rule.when;
    if (
      when?.minReputation !== undefined &&
      when.maxReputation !== undefined &&
      when.minReputation > when.maxReputation
    ) {
      ctx.addIssue({ code: 'custom', path: ['when', 'minReputation'], message: 'must not exceed maxReputation' });
    }
  });

const ruleSetShape = {
  id: slug,
  region: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a region code such as default, EU, US, BR'),
  description: z.string().max(500).optional(),
};

export const ruleSetSchema = z.object({ ...ruleSetShape, rules: z.array(ruleSchema).max(5_000) }).strict();

/** The set's own fields; `compileRules` parses rules one by one so every problem names its rule. */
export const ruleSetHeaderSchema = z.object({ ...ruleSetShape, rules: z.array(z.unknown()).max(5_000) }).strict();

/** A rule as authored (defaults not yet applied). */
export type RuleDefinition = z.input<typeof ruleSchema>;
/** A rule after schema parsing (defaults applied). */
export type ParsedRule = z.output<typeof ruleSchema>;
export type RuleMatchDefinition = z.input<typeof matchSchema>;
export type RuleWindow = z.output<typeof windowSchema>;
export type RuleAudience = z.output<typeof whenSchema>;
/** A rule set as authored: rules are validated one by one so each problem names its rule. */
export interface RuleSetDefinition {
  id: string;
  region: 'default' | 'EU' | 'US' | 'BR' | (string & {});
  description?: string;
  rules: RuleDefinition[];
}
