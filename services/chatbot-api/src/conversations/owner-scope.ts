import { type AccessContext, AuthErrorCode } from '@casebook/auth';
import { ProblemError } from '@casebook/platform';
import type { ErasureClaim } from '../erasure/erasure-requests.repository';
import type { AnswerJob } from '../jobs/queues';

declare const ownerScopeBrand: unique symbol;
declare const everyOwnerBrand: unique symbol;

/**
 * The only way to read or write conversations and messages: every method of their repositories takes
 * a scope as a required argument, and scopes are minted only here (STYLE.md §7), each from a source
 * that is already authorised: an access context, a job queued under one, or a claimed erasure. The
 * brand is not exported, so an object literal is not a scope and an unscoped query does not compile;
 * ESLint refuses `as OwnerScope` anywhere else (see `owner-scope.spec.ts`).
 */
export interface OwnerScope {
  readonly ownerId: string;
  readonly [ownerScopeBrand]: true;
}

/** Upkeep across every owner (the orphan sweeper): finds stuck work, never reads content. */
export interface EveryOwnerScope {
  readonly [everyOwnerBrand]: true;
}

const mint = (ownerId: string): OwnerScope => ({ ownerId }) as OwnerScope;

/** A request: the caller's own data; an API key acts for its owner, a service for the user it carries. */
export function ownerScope(access: AccessContext): OwnerScope {
  const { principal } = access;
  const ownerId = principal.kind === 'user' ? principal.id : principal.actingFor?.id;
  if (!ownerId) throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: 'Conversations belong to users.' });
  return mint(ownerId);
}

/** The answer worker: the job was queued by a request scoped to the asker (`ownerScope`), for the asker. */
export function ownerScopeOfAnswerJob(job: AnswerJob): OwnerScope {
  return mint(job.ownerId);
}

/** The erasure job: a request the authorisation layer accepted, claimed for its subject. */
export function ownerScopeOfErasure(claim: ErasureClaim): OwnerScope {
  return mint(claim.subjectId);
}

/** The scheduled sweeper, which requeues work whose job was lost. */
export function everyOwnerForMaintenance(): EveryOwnerScope {
  return {} as EveryOwnerScope;
}
