import { z } from 'zod';
import { parseSplit } from './ab-assignment';
import { DEFAULT_MODELS_DIR } from './load';

/**
 * The classifier's settings, to merge into the service's config schema. The thresholds are not here:
 * each model version carries its own, chosen on its own training data (see docs/adr/0011).
 */
export const classifierConfigSchema = z.object({
  /** Where `intent-vN.json` files are read from; the service's own `models/` directory by default. */
  INTENT_MODELS_DIR: z.string().min(1).default(DEFAULT_MODELS_DIR),
  /**
   * Q7.3: share of users per model version, in whole percent adding up to 100, e.g. `intent-v1=10,intent-v2=90`:
   * v2 serves most users, v1 stays on a 10 % control group so both are measured on live traffic.
   */
  INTENT_MODEL_SPLIT: z
    .string()
    .default('intent-v1=10,intent-v2=90')
    .superRefine((value, ctx) => {
      try {
        parseSplit(value);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
  /** Names the experiment; changing it reshuffles which users get which version. */
  INTENT_AB_SALT: z.string().min(1).default('intent-ab-2025-1'),
});

export type ClassifierConfig = z.infer<typeof classifierConfigSchema>;
