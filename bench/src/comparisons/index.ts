import type { Comparison } from '../harness/types';
import { auditComparison, auditOverheadComparison } from './audit';
import { type ComparisonContext, baselineComparison } from './baseline';
import { cacheComparison } from './cache';
import { loginTimingComparison } from './login-timing';
import { rateLimitComparison } from './rate-limit';

export type { ComparisonContext } from './baseline';

/**
 * Every bench the CLI can run, by subcommand. A new bench (e.g. `rate-limit`, `cache`) adds a file in this
 * folder exporting a factory that returns its contenders, and one line here.
 */
export const COMPARISONS: Record<string, (context: ComparisonContext) => Comparison> = {
  baseline: baselineComparison,
  'rate-limit': rateLimitComparison,
  'login-timing': loginTimingComparison,
  audit: auditComparison,
  'audit-overhead': auditOverheadComparison,
  cache: cacheComparison,
};
