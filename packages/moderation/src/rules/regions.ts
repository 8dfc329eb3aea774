import type { ModerationContext } from '../types';
import type { CompiledRules } from './compile';

// EU and EEA member states: an account registered as "DE" gets the EU rule set (GDPR applies EEA-wide).
const EU_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

/**
 * Q23.2 / Q23.4: which region rule sets apply. The account's region wins over the IP's (a VPN moves
 * the IP, not the user's legal residence); the IP is used only when the account has none. Extra
 * regions (dual citizenship) are added, `default` is always the base, and only regions that have a
 * rule set are returned. Order: `default`, the primary region, then the extra regions sorted.
 */
export function resolveRegions(compiled: CompiledRules, context: ModerationContext): string[] {
  const known = (region: string | undefined): string | undefined => {
    if (region === undefined || region === '') return undefined;
    if (compiled.regions.includes(region)) return region;
    const upper = region.toUpperCase();
    if (compiled.regions.includes(upper)) return upper;
    if (EU_COUNTRIES.has(upper) && compiled.regions.includes('EU')) return 'EU';
    return undefined;
  };
  const primary = known(context.accountRegion) ?? (context.accountRegion ? undefined : known(context.ipRegion));
  const extra = (context.additionalRegions ?? [])
    .map(known)
    .filter((r): r is string => r !== undefined)
    .sort();
  const ordered = [compiled.regions.includes('default') ? 'default' : undefined, primary, ...extra];
  return [...new Set(ordered.filter((r): r is string => r !== undefined))];
}
