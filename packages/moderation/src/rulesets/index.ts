import type { RuleSetDefinition } from '../rules';
import { BR_LGPD_RULE_SET } from './br';
import { defaultRuleSet, FALLBACK_CATEGORY_THRESHOLDS, type CategoryThresholds } from './default';
import { EU_GDPR_RULE_SET } from './eu';
import { US_HIPAA_RULE_SET } from './us';

export { BR_LGPD_RULE_SET } from './br';
export { defaultRuleSet, FALLBACK_CATEGORY_THRESHOLDS } from './default';
export type { CategoryThresholds } from './default';
export { EU_GDPR_RULE_SET } from './eu';
export { US_HIPAA_RULE_SET } from './us';

/** Q23.1: the shipped rule sets; category thresholds come from the model artifact. */
export function defaultRuleSets(thresholds: CategoryThresholds): RuleSetDefinition[] {
  return [defaultRuleSet(thresholds), EU_GDPR_RULE_SET, US_HIPAA_RULE_SET, BR_LGPD_RULE_SET];
}

/** The shipped rule sets with fallback thresholds, for use before a model artifact is loaded. */
export const DEFAULT_RULE_SETS: RuleSetDefinition[] = defaultRuleSets(FALLBACK_CATEGORY_THRESHOLDS);
