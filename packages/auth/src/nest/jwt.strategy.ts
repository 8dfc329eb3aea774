import { randomBytes } from 'node:crypto';
import { type ExecutionContext, Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { IS_PUBLIC_KEY, ProblemError } from '@casebook/platform';
import type { AccessContext } from '../access/access-context';
import { Authenticator } from '../access/authenticator';
import { AuthErrorCode } from '../errors';

export interface PassportBindings {
  strategy: Type<unknown>;
  guard: Type<unknown>;
}

/**
 * The passport strategy (verify the bearer token with jose, or the API key, and yield the access
 * context) and the global guard that runs it. Passport keeps strategies in a process-wide registry by
 * name, so each app instance registers its own name: two instances in one process (tests) must not
 * authenticate through each other's strategy.
 */
export function createPassportBindings(): PassportBindings {
  const name = `casebook-${randomBytes(4).toString('hex')}`;

  @Injectable()
  class CasebookStrategy extends PassportStrategy(Strategy, name) {
    constructor(private readonly authenticator: Authenticator) {
      super();
    }

    validate(request: FastifyRequest): Promise<AccessContext> {
      return this.authenticator.authenticate(request);
    }
  }

  /** Authenticated by default: every route that is not `@Public()` needs valid credentials. */
  @Injectable()
  class AuthenticationGuard extends AuthGuard(name) {
    constructor(private readonly reflector: Reflector) {
      super();
    }

    override canActivate(context: ExecutionContext) {
      const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
        context.getHandler(),
        context.getClass(),
      ]);
      if (isPublic === true) return true;
      return super.canActivate(context);
    }

    // Passport hands back the strategy's error; keep our problem (with its code) instead of a bare 401.
    override handleRequest<T>(error: unknown, access: T, _info: unknown, context: ExecutionContext): T {
      if (error) throw error;
      if (!access) throw new ProblemError({ code: AuthErrorCode.TokenMissing });
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      request.access = access as unknown as AccessContext;
      request.principal = request.access.principal;
      return access;
    }
  }

  return { strategy: CasebookStrategy, guard: AuthenticationGuard };
}
