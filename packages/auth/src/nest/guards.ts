import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC_KEY } from '@casebook/platform';
import { ANY_AUTHENTICATED } from '../authorization/authenticated.decorator';
import { REQUIRED_PERMISSION_KEY, type RequiredPermission } from '../authorization/require-permission.decorator';
import { forbidden } from '../errors';
import { markAuthorizationDenied } from '../events/auth-events';

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]) === true;
}

/** Deny by default: a route must declare `@RequirePermission(...)` (or be `@Public()`), and the caller must hold it. */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const required = this.reflector.getAllAndOverride<RequiredPermission | undefined>(REQUIRED_PERMISSION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!required) {
      markAuthorizationDenied(request, { reason: 'route declares no permission' });
      throw forbidden('This route declares no permission, so nobody may call it.');
    }
    const permission = { action: required.action, subject: required.subject };
    const access = request.access;
    if (!access) {
      markAuthorizationDenied(request, { permission, reason: 'no access context' });
      throw forbidden();
    }
    if (required.action === ANY_AUTHENTICATED.action && required.subject === ANY_AUTHENTICATED.subject) return true;
    const allowed = required.scoped
      ? access.can(required.action, required.subject)
      : access.canAll(required.action, required.subject);
    if (!allowed) {
      // Recorded as authz.denied by the audit log, with the permission that was missing (Q6.1).
      markAuthorizationDenied(request, {
        permission,
        reason: required.scoped ? 'no matching rule' : 'not on every instance',
      });
      throw forbidden();
    }
    return true;
  }
}
