import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AccessContext } from '../access/access-context';
import type { Principal } from '../principal';

/** The authenticated caller of this request (routes behind the guards only). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<FastifyRequest>().principal!;
});

/** What the caller may do, including SQL scopes for repositories. */
export const Access = createParamDecorator((_data: unknown, context: ExecutionContext): AccessContext => {
  return context.switchToHttp().getRequest<FastifyRequest>().access!;
});
