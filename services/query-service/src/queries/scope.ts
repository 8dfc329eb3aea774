import type { Principal } from '@casebook/auth';
import { ProblemError } from '@casebook/platform';
import { type CanonicalQuery, normalise } from '../questions/canonical-query';
import type { AccessScope } from './query-key';
import { QueryErrorCode } from './query-errors';

/**
 * What the caller may see: an analyst's token names their region; a service token acting for a user
 * (the chatbot worker) is scoped by that user, never by the service's own, broader rights.
 */
export function scopeOf(principal: Principal): AccessScope {
  const subject = principal.kind === 'service' && principal.actingFor ? principal.actingFor : principal;
  return { region: subject.region ?? null };
}

/**
 * The scope becomes a filter of the query (so the warehouse only ever returns rows the caller may see)
 * and is part of the key (so two scopes never share an entry). Asking outside one's region is refused
 * rather than silently narrowed, so an answer never looks like a total it is not.
 */
export function applyScope(query: CanonicalQuery, scope: AccessScope): CanonicalQuery {
  if (scope.region === null) return query;
  const asked = query.filters.region;
  if (asked && asked.some((region) => region !== scope.region)) {
    throw new ProblemError({
      code: QueryErrorCode.OutOfScope,
      detail: `Your access covers the ${scope.region} region only.`,
    });
  }
  return normalise({ ...query, filters: { ...query.filters, region: [scope.region] } });
}
