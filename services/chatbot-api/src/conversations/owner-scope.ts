import { type AccessContext, AuthErrorCode } from '@casebook/auth';
import { ProblemError } from '@casebook/platform';

declare const ownerScopeBrand: unique symbol;

/**
 * The only way to read or write conversations and messages: repositories take this as a required
 * argument, and it can only be made from the caller's access context, so an unscoped query does not
 * compile (STYLE.md §7).
 */
export interface OwnerScope {
  readonly ownerId: string;
  readonly [ownerScopeBrand]: true;
}

export function ownerScope(access: AccessContext): OwnerScope {
  const { principal } = access;
  // An API key acts for its owner; a service acting for a user acts within that user's data.
  const ownerId = principal.kind === 'user' ? principal.id : principal.actingFor?.id;
  if (!ownerId) throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: 'Conversations belong to users.' });
  return { ownerId } as OwnerScope;
}

/** For the worker and erasure jobs, which act for a user they looked up themselves. */
export function ownerScopeOf(userId: string): OwnerScope {
  return { ownerId: userId } as OwnerScope;
}
