import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { CommonErrorCode, ProblemError } from '@casebook/platform';
import type { FastifyRequest } from 'fastify';
import type { AccessContext } from '../access/access-context';
import type { Principal } from '../principal';

/**
 * The one way a controller reads who is calling: `@CurrentPrincipal() principal: Principal`. The auth
 * guard sets it; a request that reaches a route without one is refused (deny by default), never served
 * as nobody.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) {
    throw new ProblemError({
      code: CommonErrorCode.Unauthenticated,
      detail: 'A valid access token is required.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  return principal;
});

/**
 * What the caller may do (abilities and SQL scopes), for the services that mint repository scopes from
 * it. Controllers hand it on and read the caller through `@CurrentPrincipal()`, not `access.principal`.
 */
export const Access = createParamDecorator((_data: unknown, context: ExecutionContext): AccessContext => {
  return context.switchToHttp().getRequest<FastifyRequest>().access!;
});
